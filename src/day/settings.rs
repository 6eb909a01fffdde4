//! The user's schedule settings, as stored in `settings.ron`, and their validation.

use jiff::SignedDuration;
use jiff::civil::{Time, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;

use super::interval::Timing;
use super::look::{Edge, MAX_THICKNESS, MIN_THICKNESS, OverlayLook, OverlayStyle, Rgb, RingPlace, RingSize};

/// One weekday's working hours, in local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkHours {
    /// When the first interval starts.
    pub start: Time,
    /// When the last interval is cut.
    pub end: Time,
}

/// The user's settings: the schedule (work hours per weekday, the lengths of intervals) and how
/// the app may reach them ([`Alerts`]). `settings.ron` holds every field of both at its top level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SettingsFile", into = "SettingsFile")]
pub struct Settings {
    pub monday: Option<WorkHours>,
    pub tuesday: Option<WorkHours>,
    pub wednesday: Option<WorkHours>,
    pub thursday: Option<WorkHours>,
    pub friday: Option<WorkHours>,
    pub saturday: Option<WorkHours>,
    pub sunday: Option<WorkHours>,
    /// Length of a pomodoro.
    pub pomodoro_minutes: u32,
    /// Length of a short break.
    pub short_break_minutes: u32,
    /// Length of a long break.
    pub long_break_minutes: u32,
    /// A long break follows every this many pomodoros.
    pub long_break_every: u32,
    /// How long after a pomodoro starts its intention may still be set.
    pub grace_minutes: u32,
    /// Notifications and the chime.
    pub alerts: Alerts,
    /// The overlay over every monitor.
    pub overlay: OverlayLook,
    /// What is left in a day's plan when it ends starts the next day's plan.
    pub carry_plan: bool,
    /// The tray item (where a tray host shows it): the window's close button then puts the window
    /// away there.
    pub tray: bool,
    /// No keyboard or mouse for this long in work hours is being away from the keyboard, told on
    /// return (0: not watched).
    pub away_minutes: u32,
    /// Where the day files are kept, when not in the platform's data folder: a folder a sync
    /// engine shares between machines, for instance. `--data-dir` and `POMODOUROBOROS_DATA_DIR`
    /// come first. Must be an absolute path.
    pub data_dir: Option<std::path::PathBuf>,
}

/// How the app may reach the user: desktop notifications at the day's moments, and the chime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alerts {
    /// Desktop notifications at the day's moments (off: none at all, whatever the kinds below say).
    pub notifications: bool,
    /// A notification when a pomodoro starts.
    pub notify_pomodoro_start: bool,
    /// One a minute before a pomodoro's grace period ends with no intention set.
    pub notify_grace_ending: bool,
    /// One when a break starts, asking for the rating.
    pub notify_break_start: bool,
    /// One when the work day starts.
    pub notify_day_start: bool,
    /// One when the work day ends.
    pub notify_day_end: bool,
    /// A short chime when a pomodoro or a break starts.
    pub sound: bool,
    /// The chime's volume, in percent.
    pub sound_volume: u32,
}

impl Default for Alerts {
    fn default() -> Self {
        Self {
            notifications: true,
            notify_pomodoro_start: true,
            notify_grace_ending: true,
            notify_break_start: true,
            notify_day_start: true,
            notify_day_end: true,
            sound: true,
            sound_volume: 50,
        }
    }
}

impl Alerts {
    /// The chime's volume from 0 to 1, or `None` when the chime is off (or silent).
    pub fn chime_volume(&self) -> Option<f32> {
        (self.sound && self.sound_volume > 0).then(|| self.sound_volume as f32 / 100.0)
    }

    /// Checks every field; the first problem found names its field.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if self.sound_volume > 100 {
            return Err(SettingsError {
                field: "sound_volume",
                problem: format!("must be from 0 to 100 percent (got {})", self.sound_volume),
            });
        }
        Ok(())
    }
}

const NINE_TO_FIVE: WorkHours = WorkHours { start: Time::constant(9, 0, 0, 0), end: Time::constant(17, 0, 0, 0) };

impl Default for Settings {
    fn default() -> Self {
        Self {
            monday: Some(NINE_TO_FIVE),
            tuesday: Some(NINE_TO_FIVE),
            wednesday: Some(NINE_TO_FIVE),
            thursday: Some(NINE_TO_FIVE),
            friday: Some(NINE_TO_FIVE),
            saturday: None,
            sunday: None,
            pomodoro_minutes: 25,
            short_break_minutes: 5,
            long_break_minutes: 15,
            long_break_every: 4,
            grace_minutes: 4,
            alerts: Alerts::default(),
            overlay: OverlayLook::default(),
            carry_plan: true,
            tray: true,
            away_minutes: 5,
            data_dir: None,
        }
    }
}

/// The settings as `settings.ron` writes them: every field at the top level, each optional (a
/// missing one takes its default), an unknown one refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct SettingsFile {
    monday: Option<WorkHours>,
    tuesday: Option<WorkHours>,
    wednesday: Option<WorkHours>,
    thursday: Option<WorkHours>,
    friday: Option<WorkHours>,
    saturday: Option<WorkHours>,
    sunday: Option<WorkHours>,
    pomodoro_minutes: u32,
    short_break_minutes: u32,
    long_break_minutes: u32,
    long_break_every: u32,
    grace_minutes: u32,
    notifications: bool,
    notify_pomodoro_start: bool,
    notify_grace_ending: bool,
    notify_break_start: bool,
    notify_day_start: bool,
    notify_day_end: bool,
    sound: bool,
    sound_volume: u32,
    overlay: bool,
    overlay_style: OverlayStyle,
    overlay_edge: Edge,
    overlay_thickness: u32,
    overlay_ring_size: RingSize,
    overlay_ring_place: RingPlace,
    overlay_calm_opacity: u32,
    overlay_break_opacity: u32,
    overlay_due_opacity: u32,
    overlay_late_opacity: u32,
    overlay_late_colour: Rgb,
    overlay_break_tint: Rgb,
    carry_plan: bool,
    tray: bool,
    away_minutes: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_dir: Option<std::path::PathBuf>,
}

impl Default for SettingsFile {
    fn default() -> Self {
        Settings::default().into()
    }
}

impl From<Settings> for SettingsFile {
    fn from(s: Settings) -> Self {
        let (a, o) = (s.alerts, s.overlay);
        Self {
            monday: s.monday,
            tuesday: s.tuesday,
            wednesday: s.wednesday,
            thursday: s.thursday,
            friday: s.friday,
            saturday: s.saturday,
            sunday: s.sunday,
            pomodoro_minutes: s.pomodoro_minutes,
            short_break_minutes: s.short_break_minutes,
            long_break_minutes: s.long_break_minutes,
            long_break_every: s.long_break_every,
            grace_minutes: s.grace_minutes,
            notifications: a.notifications,
            notify_pomodoro_start: a.notify_pomodoro_start,
            notify_grace_ending: a.notify_grace_ending,
            notify_break_start: a.notify_break_start,
            notify_day_start: a.notify_day_start,
            notify_day_end: a.notify_day_end,
            sound: a.sound,
            sound_volume: a.sound_volume,
            overlay: o.on,
            overlay_style: o.style,
            overlay_edge: o.edge,
            overlay_thickness: o.thickness,
            overlay_ring_size: o.ring_size,
            overlay_ring_place: o.ring_place,
            overlay_calm_opacity: o.calm_opacity,
            overlay_break_opacity: o.break_opacity,
            overlay_due_opacity: o.due_opacity,
            overlay_late_opacity: o.late_opacity,
            overlay_late_colour: o.late_colour,
            overlay_break_tint: o.break_tint,
            carry_plan: s.carry_plan,
            tray: s.tray,
            away_minutes: s.away_minutes,
            data_dir: s.data_dir,
        }
    }
}

impl From<SettingsFile> for Settings {
    fn from(f: SettingsFile) -> Self {
        Self {
            monday: f.monday,
            tuesday: f.tuesday,
            wednesday: f.wednesday,
            thursday: f.thursday,
            friday: f.friday,
            saturday: f.saturday,
            sunday: f.sunday,
            pomodoro_minutes: f.pomodoro_minutes,
            short_break_minutes: f.short_break_minutes,
            long_break_minutes: f.long_break_minutes,
            long_break_every: f.long_break_every,
            grace_minutes: f.grace_minutes,
            alerts: Alerts {
                notifications: f.notifications,
                notify_pomodoro_start: f.notify_pomodoro_start,
                notify_grace_ending: f.notify_grace_ending,
                notify_break_start: f.notify_break_start,
                notify_day_start: f.notify_day_start,
                notify_day_end: f.notify_day_end,
                sound: f.sound,
                sound_volume: f.sound_volume,
            },
            overlay: OverlayLook {
                on: f.overlay,
                style: f.overlay_style,
                edge: f.overlay_edge,
                thickness: f.overlay_thickness,
                ring_size: f.overlay_ring_size,
                ring_place: f.overlay_ring_place,
                calm_opacity: f.overlay_calm_opacity,
                break_opacity: f.overlay_break_opacity,
                due_opacity: f.overlay_due_opacity,
                late_opacity: f.overlay_late_opacity,
                late_colour: f.overlay_late_colour,
                break_tint: f.overlay_break_tint,
            },
            carry_plan: f.carry_plan,
            tray: f.tray,
            away_minutes: f.away_minutes,
            data_dir: f.data_dir,
        }
    }
}

/// The longest interval the settings accept, in minutes.
pub const MAX_INTERVAL_MINUTES: u32 = 240;

/// A setting that makes no sense, naming the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsError {
    /// The field's name as written in `settings.ron`.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "setting `{}`: {}", self.field, self.problem)
    }
}

impl std::error::Error for SettingsError {}

impl Settings {
    /// The work hours of a weekday, `None` for a free day.
    pub fn hours(&self, day: Weekday) -> Option<WorkHours> {
        *self.hours_field(day).1
    }

    /// The field name and the hours of a weekday.
    pub fn hours_field(&self, day: Weekday) -> (&'static str, &Option<WorkHours>) {
        match day {
            Weekday::Monday => ("monday", &self.monday),
            Weekday::Tuesday => ("tuesday", &self.tuesday),
            Weekday::Wednesday => ("wednesday", &self.wednesday),
            Weekday::Thursday => ("thursday", &self.thursday),
            Weekday::Friday => ("friday", &self.friday),
            Weekday::Saturday => ("saturday", &self.saturday),
            Weekday::Sunday => ("sunday", &self.sunday),
        }
    }

    /// Mutable access to a weekday's hours, for the settings panel.
    pub fn hours_mut(&mut self, day: Weekday) -> &mut Option<WorkHours> {
        match day {
            Weekday::Monday => &mut self.monday,
            Weekday::Tuesday => &mut self.tuesday,
            Weekday::Wednesday => &mut self.wednesday,
            Weekday::Thursday => &mut self.thursday,
            Weekday::Friday => &mut self.friday,
            Weekday::Saturday => &mut self.saturday,
            Weekday::Sunday => &mut self.sunday,
        }
    }

    /// Checks every field; the first problem found names its field.
    pub fn validate(&self) -> Result<(), SettingsError> {
        self.timing()?;
        self.alerts.validate()?;
        validate_overlay(&self.overlay)
    }

    /// The interval lengths, once the settings are valid.
    pub fn timing(&self) -> Result<Timing, SettingsError> {
        let minutes = |field: &'static str, value: u32| -> Result<SignedDuration, SettingsError> {
            if value == 0 || value > MAX_INTERVAL_MINUTES {
                return Err(SettingsError {
                    field,
                    problem: format!("must be from 1 to {MAX_INTERVAL_MINUTES} minutes (got {value})"),
                });
            }
            Ok(SignedDuration::from_mins(i64::from(value)))
        };
        let pomodoro = minutes("pomodoro_minutes", self.pomodoro_minutes)?;
        let short_break = minutes("short_break_minutes", self.short_break_minutes)?;
        let long_break = minutes("long_break_minutes", self.long_break_minutes)?;
        if self.long_break_every == 0 || self.long_break_every > 100 {
            return Err(SettingsError {
                field: "long_break_every",
                problem: format!("must be from 1 to 100 pomodoros (got {})", self.long_break_every),
            });
        }
        if self.away_minutes > MAX_INTERVAL_MINUTES {
            return Err(SettingsError {
                field: "away_minutes",
                problem: format!("must be from 0 (off) to {MAX_INTERVAL_MINUTES} minutes (got {})", self.away_minutes),
            });
        }
        if let Some(dir) = self.data_dir.as_deref().filter(|d| !d.is_absolute()) {
            return Err(SettingsError {
                field: "data_dir",
                problem: format!(
                    "must be an absolute path (got {:?}): nothing is read from the current directory",
                    dir.display().to_string()
                ),
            });
        }
        if self.grace_minutes > self.pomodoro_minutes {
            return Err(SettingsError {
                field: "grace_minutes",
                problem: format!(
                    "must not be longer than a pomodoro ({} minutes; got {})",
                    self.pomodoro_minutes, self.grace_minutes
                ),
            });
        }
        for day in WEEK {
            if let (field, Some(hours)) = self.hours_field(day)
                && hours.end <= hours.start
            {
                return Err(SettingsError {
                    field,
                    problem: format!("the day ends ({}) before it starts ({})", hours.end, hours.start),
                });
            }
        }
        Ok(Timing {
            pomodoro,
            short_break,
            long_break,
            long_break_every: self.long_break_every,
            grace: SignedDuration::from_mins(i64::from(self.grace_minutes)),
        })
    }
}

/// Checks the overlay's fields; the first problem found names its field.
fn validate_overlay(look: &OverlayLook) -> Result<(), SettingsError> {
    if look.thickness != 0 && !(MIN_THICKNESS..=MAX_THICKNESS).contains(&look.thickness) {
        return Err(SettingsError {
            field: "overlay_thickness",
            problem: format!(
                "must be 0 (automatic) or from {MIN_THICKNESS} to {MAX_THICKNESS} pixels (got {})",
                look.thickness
            ),
        });
    }
    for (field, value) in [
        ("overlay_calm_opacity", look.calm_opacity),
        ("overlay_break_opacity", look.break_opacity),
        ("overlay_due_opacity", look.due_opacity),
        ("overlay_late_opacity", look.late_opacity),
    ] {
        if !(5..=100).contains(&value) {
            return Err(SettingsError { field, problem: format!("must be from 5 to 100 percent (got {value})") });
        }
    }
    Ok(())
}

/// The days of the week, Monday first.
pub const WEEK: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_nine_to_five_on_weekdays() {
        let s = Settings::default();
        s.validate().unwrap();
        assert!(s.hours(Weekday::Saturday).is_none());
        assert_eq!(s.hours(Weekday::Monday), Some(NINE_TO_FIVE));
    }

    #[test]
    fn errors_name_the_field() {
        let s = Settings { pomodoro_minutes: 0, ..Settings::default() };
        assert_eq!(s.validate().unwrap_err().field, "pomodoro_minutes");
        let s = Settings { grace_minutes: 30, ..Settings::default() };
        assert_eq!(s.validate().unwrap_err().field, "grace_minutes");
        let s = Settings { long_break_every: 0, ..Settings::default() };
        assert_eq!(s.validate().unwrap_err().field, "long_break_every");
        let s = Settings { alerts: Alerts { sound_volume: 101, ..Alerts::default() }, ..Settings::default() };
        assert_eq!(s.validate().unwrap_err().field, "sound_volume");
        let backwards = WorkHours { start: Time::constant(17, 0, 0, 0), end: Time::constant(9, 0, 0, 0) };
        let s = Settings { wednesday: Some(backwards), ..Settings::default() };
        let err = s.validate().unwrap_err();
        assert_eq!(err.field, "wednesday");
        assert!(err.to_string().contains("wednesday"), "{err}");
        let s = Settings { overlay: OverlayLook { thickness: 3, ..OverlayLook::default() }, ..Settings::default() };
        assert_eq!(s.validate().unwrap_err().field, "overlay_thickness");
        let s = Settings { overlay: OverlayLook { due_opacity: 101, ..OverlayLook::default() }, ..Settings::default() };
        assert_eq!(s.validate().unwrap_err().field, "overlay_due_opacity");
    }
}
