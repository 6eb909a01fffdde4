//! One thread for every schedule: the app's systems are few and small.

use bevy::ecs::schedule::SingleThreadedExecutor;
use bevy::prelude::*;

/// Runs every schedule of the app and of its render world on one thread. The app has few, small
/// systems: on two cores with a software rasterizer, waking the task pool's threads for them each
/// frame cost about as much CPU as the systems themselves (an idle unfocused window's CPU share
/// fell by about 40 % with this alone, and frames got faster; see the README). Add it after every
/// other plugin: it acts in `cleanup`, once every plugin has made its schedules.
pub struct SingleThreaded;

impl Plugin for SingleThreaded {
    fn build(&self, _app: &mut App) {}

    fn cleanup(&self, app: &mut App) {
        for sub_app in app.sub_apps_mut().iter_mut() {
            if let Some(mut schedules) = sub_app.world_mut().get_resource_mut::<Schedules>() {
                for (_, schedule) in schedules.iter_mut() {
                    schedule.set_executor(SingleThreadedExecutor::new());
                }
            }
        }
    }
}
