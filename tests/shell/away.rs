// "While you were away", headless with the manual clock: a start after intervals ended unseen, a
// jump while running, and never twice for the same stretch (nor before the day begins).

use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use pomodouroboros::day::{Away, Clock, ManualClock, Settings};
use pomodouroboros::shell::actions::DayAction;
use pomodouroboros::shell::today::Today;
use pomodouroboros::store::FileDayStore;
use std::sync::Arc;
use std::time::Duration;

fn at(text: &str) -> Timestamp {
    text.parse::<jiff::civil::DateTime>().unwrap().to_zoned(TimeZone::UTC).unwrap().timestamp()
}

/// The day files in `dir`'s `data`, and this machine's record of what its windows showed in its
/// `state`.
fn store_in(dir: &std::path::Path) -> FileDayStore {
    FileDayStore::with_state(dir.join("data"), &dir.join("state"))
}

/// A window's app on the day files in `dir`, started at `now`.
fn start(dir: &std::path::Path, clock: &ManualClock) -> App {
    let store = Arc::new(store_in(dir));
    let mut app = super::headless_with(pomodouroboros::testing::session_on(store, clock, Settings::default()));
    app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(16)));
    app.update();
    app
}

fn take(app: &mut App) -> Option<Away> {
    let day = app.world().resource::<Today>().day().clone();
    app.world_mut().resource_mut::<pomodouroboros::shell::unseen::Unseen>().take(&day)
}

/// The figures the day engine gives for the same stretch.
fn check_figures(app: &App, shown: &Away) {
    let today = app.world().resource::<Today>();
    let day = today.day();
    let (before, after) = (day.score(pomodouroboros::day::just_before(shown.from)), day.score(shown.to));
    assert_eq!(shown.gained.0, after.score.0 - before.score.0);
    assert_eq!(shown.lost.0, before.possible.0 - after.possible.0);
    assert_eq!(shown.possible, after.possible);
    let ended = day.intervals.iter().filter(|iv| shown.from < iv.end && iv.end <= shown.to).count();
    assert_eq!(shown.eaten, ended);
}

#[test]
fn a_start_after_two_intervals_ended_tells_them_once() {
    let dir = tempfile::tempdir().unwrap();
    // 08:55, before the day begins: nothing to tell; a planned intention.
    let clock = ManualClock::new(at("2026-11-24T08:55:00"));
    let mut app = start(dir.path(), &clock);
    assert_eq!(take(&mut app), None, "never on a plain start before the day begins");
    pomodouroboros::testing::act(&mut app, DayAction::Plan("write the intro".into())).unwrap();
    drop(app);

    // 09:31: pomodoro 1 and the short break ended while no window was open.
    clock.set(at("2026-11-24T09:31:00"));
    let mut app = start(dir.path(), &clock);
    let shown = take(&mut app).expect("intervals ended unseen");
    assert_eq!((shown.from, shown.to), (at("2026-11-24T09:00:00"), at("2026-11-24T09:31:00")));
    assert_eq!((shown.eaten, shown.pomodoros), (2, 1));
    assert_eq!(shown.intended, vec![(0, "write the intro".to_owned())]);
    assert_eq!(shown.to_rate, Some(0), "the pomodoro can be rated while its window is open");
    assert!(shown.gained.0 > 0);
    check_figures(&app, &shown);
    let lines = pomodouroboros::shell::ui::panels::away_lines(&shown, app.world().resource::<Today>());
    assert!(lines.iter().any(|l| l == "The snake ate 2 intervals (1 pomodoro)."), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("“write the intro”")), "{lines:?}");
    assert!(lines.contains(&format!("Points gained: {}", shown.gained)), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.starts_with("Still possible today: ") && l.contains('.')),
        "points as the HUD shows them: {lines:?}"
    );
    drop(app);

    // Started again over the same stretch: nothing new to tell.
    clock.set(at("2026-11-24T09:32:00"));
    let mut app = start(dir.path(), &clock);
    assert_eq!(take(&mut app), None, "the same stretch is never told twice");
}

#[test]
fn a_three_hour_jump_while_running_is_told_once() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(at("2026-11-24T09:01:00"));
    let mut app = start(dir.path(), &clock);
    assert_eq!(take(&mut app), None, "nothing ended yet");
    for s in 1..=30 {
        clock.set(at("2026-11-24T09:01:00") + SignedDuration::from_secs(s));
        app.update();
    }
    assert_eq!(take(&mut app), None, "a running window sees what passes");

    let from = clock.now();
    clock.set(from + SignedDuration::from_hours(3));
    app.update();
    let shown = take(&mut app).expect("a jump over ended intervals");
    assert_eq!((shown.from, shown.to), (from, from + SignedDuration::from_hours(3)));
    assert!(shown.eaten >= 5, "{shown:?}");
    assert!(shown.lost.0 > 0 && shown.gained.0 == 0, "{shown:?}");
    check_figures(&app, &shown);

    // Back three hours and forward again over the same stretch: nothing new.
    clock.set(from);
    app.update();
    clock.set(from + SignedDuration::from_hours(3));
    app.update();
    assert_eq!(take(&mut app), None, "the same stretch is never told twice");
    // And this machine remembers what was shown, for the next start, apart from the day file that
    // other machines share.
    drop(app);
    let store = store_in(dir.path());
    let date = jiff::civil::date(2026, 11, 24);
    assert!(pomodouroboros::store::DayStore::seen_until(&store, date) >= Some(from + SignedDuration::from_hours(3)));
    let shared = std::fs::read_to_string(dir.path().join("data").join("2026-11-24.ron")).unwrap();
    assert!(!shared.contains("seen_until"), "{shared}");
}

#[test]
fn notices_and_chimes_follow_the_day_on_time_whatever_the_bus_and_sound_server() {
    use pomodouroboros::day::{Event, Kind};
    use pomodouroboros::shell::notify::{NoticeKind, Notify};
    use pomodouroboros::shell::sound::{Chime, Ring};
    use pomodouroboros::shell::today::DayEvent;
    use pomodouroboros::testing::{Recorded, RecordedWhen};
    // Whether this machine has a session bus or a sound server (CI has neither) changes nothing
    // here: the frame only hands notices and chimes to threads.
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(at("2026-11-24T08:59:59"));
    let mut app = start(dir.path(), &clock);
    RecordedWhen::<DayEvent>::record(&mut app);
    Recorded::<Notify>::record(&mut app);
    Recorded::<Ring>::record(&mut app);
    let begin = at("2026-11-24T08:59:59");
    for s in 1..=(31 * 60) {
        clock.set(begin + SignedDuration::from_secs(s));
        app.update();
    }
    let sent: Vec<NoticeKind> = Recorded::<Notify>::of(&app).iter().map(|n| n.0.kind).collect();
    assert_eq!(
        sent,
        [
            NoticeKind::DayStart,
            NoticeKind::GraceEnding,
            NoticeKind::GraceMissed,
            NoticeKind::BreakStart,
            NoticeKind::PomodoroStart
        ],
        "in order, one per moment (the day's first pomodoro is in the day's notice)"
    );
    let played: Vec<Chime> = Recorded::<Ring>::of(&app).iter().map(|r| r.chime).collect();
    assert_eq!(played, [Chime::Pomodoro, Chime::Break, Chime::Pomodoro]);
    // Every event of the stretch came once, in the frame of its second.
    let crossed: Vec<(Timestamp, Event)> =
        RecordedWhen::<DayEvent>::of(&app).iter().map(|(at, _, e)| (*at, e.0.event)).collect();
    let day = app.world().resource::<Today>().day().clone();
    let mut engine = pomodouroboros::day::DayEngine::new(day, begin);
    let expected = engine.advance_to(begin + SignedDuration::from_mins(31)).to_vec();
    assert_eq!(crossed.len(), expected.len());
    for ((frame, got), want) in crossed.iter().zip(&expected) {
        assert_eq!(*got, want.event);
        assert!(want.at <= *frame && *frame < want.at + SignedDuration::from_secs(1), "{want:?} seen at {frame}");
    }
    assert!(expected.iter().any(|e| e.event == Event::IntervalStarted { index: 1, kind: Kind::ShortBreak }));
}

/// Another process changed the day while the window was stopped (SIGSTOP, a suspend): the panel
/// tells the stretch as the day stands once that change is read, not as it stood before.
#[test]
fn what_another_process_did_during_the_gap_is_told_with_it() {
    use pomodouroboros::day::{RateTarget, Rating};
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(at("2026-11-24T09:01:00"));
    let mut app = start(dir.path(), &clock);
    pomodouroboros::testing::act(&mut app, DayAction::Intend("window intention".into())).unwrap();
    // Stopped from 09:02 to 10:02. Meanwhile the command line intends pomodoro 2 and plans.
    let other = || {
        let store = Arc::new(store_in(dir.path()));
        pomodouroboros::testing::session_on(store, &ManualClock::new(at("2026-11-24T09:31:00")), Settings::default())
    };
    let (date, now) = (jiff::civil::date(2026, 11, 24), at("2026-11-24T09:31:00"));
    other().change_day(date, now, |d| d.intend(now, "cli intention two")).unwrap();
    other().change_day(date, now, |d| d.rate(now, Rating::Achieved, RateTarget::Index(0))).unwrap();
    clock.set(at("2026-11-24T10:02:00"));
    app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_secs(1)));
    app.update();
    let shown = take(&mut app).expect("intervals ended in the gap");
    assert!(
        shown.intended.iter().any(|(i, text)| *i == 2 && text == "cli intention two"),
        "the command line's intention is told: {shown:?}"
    );
    assert!(shown.gained.0 > 0, "points gained by the outside change: {shown:?}");
    check_figures(&app, &shown);
}

/// A first launch mid-day is an invitation, not a bill: nothing is told of a day no window showed
/// and nothing was done in; where the command line did something, it is told, with no points
/// counted as lost (the user never had them within reach).
#[test]
fn the_first_sight_of_a_day_is_no_bill() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(at("2026-11-24T11:44:00"));
    let mut app = start(dir.path(), &clock);
    assert_eq!(take(&mut app), None, "ten intervals ended before the app first ran: nothing to tell");
    drop(app);

    let dir = tempfile::tempdir().unwrap();
    let (date, then) = (jiff::civil::date(2026, 11, 24), at("2026-11-24T09:01:00"));
    let store = Arc::new(store_in(dir.path()));
    let session = || pomodouroboros::testing::session_on(store.clone(), &ManualClock::new(then), Settings::default());
    session().change_day(date, then, |d| d.intend(then, "set from a terminal")).unwrap();
    let mut app = start(dir.path(), &clock);
    let shown = take(&mut app).expect("what the command line did is told");
    assert_eq!(shown.intended.len(), 1, "{shown:?}");
    assert_eq!(shown.lost.0, 0, "nothing counted as lost on a day first seen now");
}

/// Start now, as the key, the welcome, the away panel and a notification ask for it: a pomodoro
/// starts at this instant with its full grace period, the day's end stays, and the ring's and the
/// score's figures follow.
#[test]
fn start_now_gives_a_pomodoro_with_its_grace_period() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(at("2026-11-24T11:44:00"));
    let mut app = start(dir.path(), &clock);
    let before = app.world().resource::<Today>().day().clone();
    let ideal_before = app.world().resource::<Today>().score().ideal;
    pomodouroboros::testing::act(&mut app, DayAction::StartNow).unwrap();
    let today = app.world().resource::<Today>();
    let (day, now) = (today.day(), today.now());
    let i = day.interval_at(now).unwrap();
    assert_eq!(day.intervals[i].start, now);
    assert_eq!(day.intervals[i].kind, pomodouroboros::day::Kind::Pomodoro);
    assert_eq!(day.grace_end(i), now + SignedDuration::from_mins(4));
    assert_eq!(day.span().unwrap().1, before.span().unwrap().1, "the day still ends when the work hours do");
    assert_eq!(today.score().ideal.0 > 0, ideal_before.0 > 0);
    pomodouroboros::testing::act(&mut app, DayAction::Intend("a fresh start".into())).unwrap();
    // Saved: a later process sees the new layout.
    drop(app);
    let store = store_in(dir.path());
    let (saved, _) =
        pomodouroboros::store::DayStore::load(&store, jiff::civil::date(2026, 11, 24), at("2026-11-24T11:45:00"))
            .unwrap();
    let saved = saved.unwrap();
    let i = saved.interval_at(at("2026-11-24T11:45:00")).unwrap();
    assert_eq!(saved.intervals[i].intention.as_deref(), Some("a fresh start"));
}

/// Away from the keyboard, as the idle client reports it: notifications wait while away; on
/// return the stretch (with what passed in it) waits to be told, once.
#[test]
fn a_stretch_away_from_the_keyboard_is_told_and_holds_the_notifications() {
    use pomodouroboros::shell::afk::AwayFromKeys;
    use pomodouroboros::shell::notify::Notify;
    use pomodouroboros::shell::platform::idle::IdleReply;
    use pomodouroboros::testing::Recorded;
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(at("2026-11-24T09:20:00"));
    let mut app = start(dir.path(), &clock);
    Recorded::<Notify>::record(&mut app);
    pomodouroboros::testing::act(&mut app, DayAction::Plan("the next one".into())).unwrap();
    app.world_mut().write_message(IdleReply::Away { idle: Duration::from_secs(5 * 60) });
    app.update();
    assert_eq!(app.world().resource::<AwayFromKeys>().0, Some(at("2026-11-24T09:15:00")));
    let unwatched = |app: &App| app.world().resource::<pomodouroboros::shell::visibility::Unwatched>().0;
    assert!(unwatched(&app), "nobody looks: the window draws nothing");
    // The break starts at 09:25 and pomodoro 2 at 09:30 while away: nothing is sent.
    for minute in 21..=34 {
        clock.set(at(&format!("2026-11-24T09:{minute}:00")));
        app.update();
    }
    assert!(Recorded::<Notify>::of(&app).is_empty(), "{:?}", Recorded::<Notify>::of(&app));
    app.world_mut().write_message(IdleReply::Back { ago: Duration::from_secs(60) });
    app.update();
    assert!(!app.world().resource::<AwayFromKeys>().is_away());
    assert!(!unwatched(&app), "drawn again at once");
    let unseen = app.world().resource::<pomodouroboros::shell::unseen::Unseen>();
    assert_eq!(unseen.keys_left(), Some((at("2026-11-24T09:15:00"), at("2026-11-24T09:33:00"))));
    let shown = take(&mut app).expect("what passed while away");
    assert_eq!((shown.eaten, shown.pomodoros), (2, 1), "{shown:?}");
    assert!(!app.world().resource::<pomodouroboros::shell::unseen::Unseen>().is_waiting(), "told once");
}

/// What is in a folder, with each file's size and time of change: two snapshots differ when
/// anything was written.
fn snapshot(dir: &std::path::Path) -> Vec<(String, u64, std::time::SystemTime)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            (e.file_name().to_string_lossy().into_owned(), meta.len(), meta.modified().unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Two machines' windows on one day file that a sync engine carries (here: one folder), both
/// left alone for an hour: neither writes to the shared folder, so the engine has nothing to
/// carry and no conflict to make; each keeps what it showed in its own state folder.
#[test]
fn two_idle_windows_write_nothing_to_the_shared_folder_for_an_hour() {
    let dir = tempfile::tempdir().unwrap();
    let (shared, states) = (dir.path().join("shared"), [dir.path().join("state-a"), dir.path().join("state-b")]);
    let machine = |state: &std::path::Path, clock: &ManualClock| {
        let store = Arc::new(FileDayStore::with_state(&shared, state));
        let mut app = super::headless_with(pomodouroboros::testing::session_on(store, clock, Settings::default()));
        app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(16)));
        app.update();
        app
    };
    // The day has a file: a window lived through an interval's end.
    let clock = ManualClock::new(at("2026-11-24T09:20:00"));
    let mut first = machine(&states[0], &clock);
    clock.set(at("2026-11-24T09:26:00"));
    first.update();
    drop(first);
    assert!(shared.join("2026-11-24.ron").exists());

    let clock = ManualClock::new(at("2026-11-24T10:00:00"));
    let mut apps = [machine(&states[0], &clock), machine(&states[1], &clock)];
    let before = snapshot(&shared);
    let mut writes = 0;
    let mut last = before.clone();
    for step in 1..=360 {
        clock.set(at("2026-11-24T10:00:00") + SignedDuration::from_secs(10 * step));
        for app in &mut apps {
            app.update();
        }
        let now = snapshot(&shared);
        writes += usize::from(now != last);
        last = now;
    }
    assert_eq!(writes, 0, "the shared folder changed: {before:?} → {last:?}");
    // Four interval ends passed while they ran: each machine noted it showed them.
    drop(apps);
    let date = jiff::civil::date(2026, 11, 24);
    for state in &states {
        let store = FileDayStore::with_state(&shared, state);
        let seen = pomodouroboros::store::DayStore::seen_until(&store, date);
        assert!(seen >= Some(at("2026-11-24T10:55:00")), "{state:?}: {seen:?}");
    }
}

/// Another machine's version of the day arrives as a sync engine writes it (a temporary file
/// renamed into place), first as a conflict copy, then as the day file itself: the running
/// window merges the copy within a second (and says so once) and shows the day file's change.
#[test]
fn another_machines_versions_renamed_into_place_are_merged_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(at("2026-11-24T09:01:00"));
    let mut app = start(dir.path(), &clock);
    pomodouroboros::testing::act(&mut app, DayAction::Plan("planned here".into())).unwrap();
    let date = jiff::civil::date(2026, 11, 24);
    let data = dir.path().join("data");
    let arrive = |name: &str, day: &pomodouroboros::day::Day| {
        let temp = data.join(format!(".syncthing.{name}.tmp"));
        std::fs::write(&temp, pomodouroboros::store::encode_day(day).unwrap()).unwrap();
        std::fs::rename(&temp, data.join(name)).unwrap();
    };
    // The other machine (its own state folder) set the intention and wrote the journal.
    let other = FileDayStore::with_state(dir.path().join("elsewhere"), &dir.path().join("state-b"));
    let now = at("2026-11-24T09:01:30");
    let fresh = app.world().resource::<Today>().day().clone();
    let (_, theirs) = pomodouroboros::store::update_with(&other, date, now, &|| fresh.clone(), |d| {
        d.journal.summary = "from the other machine".into();
        d.intend(now, "typed on the other machine").map(|_| ())
    })
    .unwrap();
    arrive("2026-11-24.sync-conflict-20261124-090130-OTHER01.ron", &theirs.day);
    let frames = |app: &mut App| {
        for _ in 0..8 {
            app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(100)));
            app.update();
        }
    };
    frames(&mut app);
    let today = app.world().resource::<Today>();
    assert_eq!(today.day().intervals[0].intention.as_deref(), Some("typed on the other machine"));
    assert_eq!(today.day().journal.summary, "from the other machine");
    assert_eq!(today.day().plan, vec!["planned here".to_owned()], "what this window did stays");
    let told = pomodouroboros::testing::message(&app).unwrap_or_default();
    assert!(told.contains("Merged changes from another machine"), "{told}");
    assert!(
        !std::fs::read_dir(&data).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().contains("sync-conflict")),
        "the copy left the synced folder"
    );

    // Then the engine replaces the day file itself with a later version from there.
    let mut later = app.world().resource::<Today>().day().clone();
    later.journal.proud_of = "finished on the laptop".into();
    arrive("2026-11-24.ron", &later);
    frames(&mut app);
    assert_eq!(app.world().resource::<Today>().day().journal.proud_of, "finished on the laptop");
}

/// A journal text that lost to another machine's is let go from the journal panel: the day
/// records it, so no machine shows it again.
#[test]
fn a_text_kept_aside_is_let_go_for_good() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(at("2026-11-24T09:01:00"));
    let mut app = start(dir.path(), &clock);
    let key = pomodouroboros::day::sync::journal_key(pomodouroboros::day::JournalField::Summary);
    let date = jiff::civil::date(2026, 11, 24);
    // Another machine's text came in a conflict copy and lost to the later one here.
    let now = at("2026-11-24T09:01:10");
    let fresh = app.world().resource::<Today>().day().clone();
    let other = FileDayStore::with_state(dir.path().join("elsewhere"), &dir.path().join("state-b"));
    let (_, theirs) = pomodouroboros::store::update_with(&other, date, now, &|| fresh.clone(), |d| {
        d.journal.summary = "written there first".into();
        Ok(())
    })
    .unwrap();
    let base = fresh.journal.clone();
    let mine = pomodouroboros::day::Journal { summary: "written here later".into(), ..base.clone() };
    clock.set(at("2026-11-24T09:01:20"));
    pomodouroboros::testing::act(&mut app, DayAction::Journal { base, mine }).unwrap();
    let data = dir.path().join("data");
    std::fs::write(
        data.join("2026-11-24.sync-conflict-20261124-090110-OTHER01.ron"),
        pomodouroboros::store::encode_day(&theirs.day).unwrap(),
    )
    .unwrap();
    pomodouroboros::testing::act(&mut app, DayAction::Record(pomodouroboros::shell::actions::Record::Merge)).unwrap();
    let day = app.world().resource::<Today>().day().clone();
    assert_eq!(day.journal.summary, "written here later");
    assert_eq!(day.sync.shown_aside(&key).collect::<Vec<_>>(), ["written there first"]);

    let let_go = DayAction::LetGo { key: key.clone(), value: "written there first".into() };
    pomodouroboros::testing::act(&mut app, let_go).unwrap();
    drop(app);
    let (saved, _) = pomodouroboros::store::DayStore::load(&store_in(dir.path()), date, now).unwrap();
    let saved = saved.unwrap();
    assert_eq!(saved.sync.shown_aside(&key).count(), 0, "{:?}", saved.sync);
    assert_eq!(saved.journal.summary, "written here later");
}

/// A journal text that another process (here: another machine's, arrived in the day file) saved
/// while this window's journal had its own is kept in the day, not only in the window.
#[test]
fn the_journal_panels_merge_keeps_the_other_text_in_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(at("2026-11-24T09:01:00"));
    let mut app = start(dir.path(), &clock);
    let base = app.world().resource::<Today>().day().journal.clone();
    let other = pomodouroboros::day::Journal { summary: "saved elsewhere".into(), ..base.clone() };
    pomodouroboros::testing::act(&mut app, DayAction::Journal { base: base.clone(), mine: other }).unwrap();
    let mine = pomodouroboros::day::Journal { summary: "typed here".into(), ..base.clone() };
    pomodouroboros::testing::act(&mut app, DayAction::Journal { base, mine }).unwrap();
    drop(app);
    let key = pomodouroboros::day::sync::journal_key(pomodouroboros::day::JournalField::Summary);
    let (saved, _) = pomodouroboros::store::DayStore::load(
        &store_in(dir.path()),
        jiff::civil::date(2026, 11, 24),
        at("2026-11-24T09:02:00"),
    )
    .unwrap();
    let saved = saved.unwrap();
    assert_eq!(saved.journal.summary, "typed here");
    assert_eq!(saved.sync.shown_aside(&key).collect::<Vec<_>>(), ["saved elsewhere"]);
}
