//! The settings form: work hours per weekday and the interval lengths, saved to `settings.ron`
//! merged with whatever changed the file since the form opened.

use bevy_egui::egui;
use jiff::civil::Time;

use super::{NOTICE, PanelIo, Panels, track_box};
use crate::day::{Settings, WEEK, WorkHours};
use crate::shell::actions::{DayAction, Origin};
use crate::shell::today::Today;
use crate::store::update_settings;

/// Settings as the form edits them: times as text until saved.
#[derive(Debug, Default, Clone)]
pub(super) struct SettingsDraft {
    /// The settings as they were when the form opened (or last saved).
    base: Settings,
    settings: Settings,
    hours: [(bool, String, String); 7],
    error: Option<String>,
    /// Changed since it was made: kept when the panel closes (Escape keeps a draft).
    edited: bool,
}

impl SettingsDraft {
    pub(super) fn from(settings: &Settings) -> Self {
        let hours = WEEK.map(|day| match settings.hours(day) {
            Some(h) => (true, h.start.strftime("%H:%M").to_string(), h.end.strftime("%H:%M").to_string()),
            None => (false, "09:00".to_owned(), "17:00".to_owned()),
        });
        Self { base: settings.clone(), settings: settings.clone(), hours, error: None, edited: false }
    }

    /// On opening: the draft left by Escape if it was changed, else the settings as they are.
    pub(super) fn reopen(&mut self, settings: &Settings) {
        if !self.edited {
            *self = Self::from(settings);
        }
    }

    /// The settings the form describes, validated.
    fn parse(&self) -> Result<Settings, String> {
        let mut settings = self.settings.clone();
        for (day, (on, start, end)) in WEEK.into_iter().zip(&self.hours) {
            let name = settings.hours_field(day).0;
            let time =
                |t: &str| t.trim().parse::<Time>().map_err(|_| format!("{name}: {t:?} is not a time like 09:00"));
            *settings.hours_mut(day) =
                if *on { Some(WorkHours { start: time(start)?, end: time(end)? }) } else { None };
        }
        settings.validate().map_err(|e| e.to_string())?;
        Ok(settings)
    }

    /// Saves the form to `settings.ron`, merged with what changed the file meanwhile, and asks for
    /// what has not started today to be laid out again by them ("Settings saved." once it is).
    fn save(&mut self, today: &Today, io: &mut PanelIo) {
        let config = today.session().dirs.config.clone();
        let saved = self.parse().and_then(|mine| update_settings(&config, &self.base, &mine));
        match saved {
            Ok((settings, aside)) => {
                let aside: Vec<String> = aside.into_iter().map(|(name, value)| format!("{name} was {value}")).collect();
                *self = Self::from(&settings);
                if !aside.is_empty() {
                    self.error = Some(format!(
                        "Saved. The file had been changed elsewhere too; your values were kept, and theirs set aside: {}.",
                        aside.join(", ")
                    ));
                }
                io.act(DayAction::Relayout(settings), Origin::Settings);
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// Whether the form has nothing of its own to say (no error, nothing set aside).
    pub(super) fn said_nothing(&self) -> bool {
        self.error.is_none()
    }
}

/// The overlay's rows: on or off (`o`), bar or ring, the bar's edge and thickness, the ring's
/// size and place.
fn overlay_rows(ui: &mut egui::Ui, o: &mut crate::day::OverlayLook, edited: &mut bool) {
    use crate::day::{Edge, OverlayStyle, RingPlace, RingSize};
    ui.horizontal_wrapped(|ui| {
        *edited |= ui.checkbox(&mut o.on, "Overlay over every screen (o)").changed();
        ui.add_enabled_ui(o.on, |ui| {
            *edited |= ui.radio_value(&mut o.style, OverlayStyle::Bar, "bar").changed();
            *edited |= ui.radio_value(&mut o.style, OverlayStyle::Ring, "ring").changed();
        });
    });
    ui.add_enabled_ui(o.on, |ui| {
        ui.horizontal_wrapped(|ui| match o.style {
            OverlayStyle::Bar => {
                ui.label("along the");
                for (edge, name) in
                    [(Edge::Bottom, "bottom"), (Edge::Top, "top"), (Edge::Left, "left"), (Edge::Right, "right")]
                {
                    *edited |= ui.radio_value(&mut o.edge, edge, name).changed();
                }
                ui.label("thickness");
                let auto = o.thickness == 0;
                *edited |= ui
                    .add(egui::DragValue::new(&mut o.thickness).range(0..=200).suffix(if auto {
                        " (auto)"
                    } else {
                        " px"
                    }))
                    .changed();
                // Between 1 and 5 px means nothing: snap to the thinnest bar.
                if (1..crate::day::overlay::MIN_THICKNESS_PX).contains(&o.thickness) {
                    o.thickness = crate::day::overlay::MIN_THICKNESS_PX;
                }
            }
            OverlayStyle::Ring => {
                for (size, name) in
                    [(RingSize::Small, "small"), (RingSize::Medium, "medium"), (RingSize::Large, "large")]
                {
                    *edited |= ui.radio_value(&mut o.ring_size, size, name).changed();
                }
                ui.label("at");
                egui::ComboBox::from_id_salt("ring place").selected_text(format!("{:?}", o.ring_place)).show_ui(
                    ui,
                    |ui| {
                        for place in [
                            RingPlace::Center,
                            RingPlace::TopLeft,
                            RingPlace::TopRight,
                            RingPlace::BottomLeft,
                            RingPlace::BottomRight,
                        ] {
                            *edited |= ui.selectable_value(&mut o.ring_place, place, format!("{place:?}")).changed();
                        }
                    },
                );
            }
        });
        // How strongly it shows in each state, and its two colours.
        ui.horizontal_wrapped(|ui| {
            ui.label("opacity %");
            for (name, value) in [
                ("calm", &mut o.calm_opacity),
                ("break", &mut o.break_opacity),
                ("due", &mut o.due_opacity),
                ("late", &mut o.late_opacity),
            ] {
                ui.label(name);
                *edited |= ui.add(egui::DragValue::new(value).range(0..=100)).changed();
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("late colour");
            *edited |= ui.color_edit_button_srgb(&mut o.late_colour.0).changed();
            ui.label("break tint");
            *edited |= ui.color_edit_button_srgb(&mut o.break_tint.0).changed();
        });
    });
}

pub(super) fn settings_ui(ui: &mut egui::Ui, panels: &mut Panels, today: &Today, io: &mut PanelIo) {
    let mut first = true;
    let mut boxes = Vec::new();
    let draft = &mut panels.settings;
    egui::Grid::new("hours").num_columns(4).show(ui, |ui| {
        for (day, (on, start, end)) in WEEK.into_iter().zip(draft.hours.iter_mut()) {
            draft.edited |= ui.checkbox(on, format!("{day:?}")).changed();
            for (text, half) in [(start, "start"), (end, "end")] {
                let id = egui::Id::new(("hours", format!("{day:?}"), half));
                let response = ui.add_enabled(*on, egui::TextEdit::singleline(text).id(id).desired_width(60.0));
                draft.edited |= response.changed();
                boxes.push(response);
                if half == "start" {
                    ui.label("to");
                }
            }
            ui.end_row();
        }
    });
    let s = &mut draft.settings;
    egui::Grid::new("lengths").num_columns(2).show(ui, |ui| {
        for (label, value, range) in [
            ("Pomodoro (minutes)", &mut s.pomodoro_minutes, 1..=240),
            ("Short break (minutes)", &mut s.short_break_minutes, 1..=240),
            ("Long break (minutes)", &mut s.long_break_minutes, 1..=240),
            ("Long break after every … pomodoros", &mut s.long_break_every, 1..=100),
            ("Grace period for intentions (minutes)", &mut s.grace_minutes, 0..=240),
            ("Away from the keys after (minutes)", &mut s.away_minutes, 0..=240),
        ] {
            ui.label(label);
            draft.edited |= ui.add(egui::DragValue::new(value).range(range)).changed();
            ui.end_row();
        }
    });
    ui.separator();
    let s = &mut s.alerts;
    draft.edited |= ui.checkbox(&mut s.notifications, "Desktop notifications").changed();
    ui.add_enabled_ui(s.notifications, |ui| {
        ui.horizontal_wrapped(|ui| {
            for (label, value) in [
                ("pomodoro starts", &mut s.notify_pomodoro_start),
                ("grace period ending or missed", &mut s.notify_grace_ending),
                ("break starts", &mut s.notify_break_start),
                ("day starts", &mut s.notify_day_start),
                ("day ends", &mut s.notify_day_end),
            ] {
                draft.edited |= ui.checkbox(value, label).changed();
            }
        });
    });
    // Wrapped, so that the panel fits the mini view's 280 px.
    ui.horizontal_wrapped(|ui| {
        draft.edited |= ui.checkbox(&mut s.sound, "Chime").changed();
        ui.add_enabled_ui(s.sound, |ui| {
            ui.label("volume");
            draft.edited |= ui.add(egui::DragValue::new(&mut s.sound_volume).range(0..=100).suffix(" %")).changed();
        });
    });
    if let Some(why) = &io.sound_trouble {
        ui.colored_label(NOTICE, format!("The chime could not be played: {why}."));
    }
    overlay_rows(ui, &mut draft.settings.overlay, &mut draft.edited);
    draft.edited |=
        ui.checkbox(&mut draft.settings.carry_plan, "Carry what is left in the plan to the next day").changed();
    draft.edited |=
        ui.checkbox(&mut draft.settings.tray, "Tray item (closing the window then puts it away in the tray)").changed();
    ui.label("Saving (Enter) lays out again the part of today that has not started.");
    // Enter saves, as it does in every panel (a box or a number being edited takes it too).
    let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
    if ui.button("Save").clicked() || enter {
        draft.save(today, io);
    }
    if let Some(e) = &draft.error {
        ui.colored_label(NOTICE, e);
    }
    for response in boxes {
        track_box(panels, &response, first);
        first = false;
    }
}
