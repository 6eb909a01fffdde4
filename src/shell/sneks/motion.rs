//! Snek motion in exact integer arithmetic, so that advancing by `a` ticks and then `b` gives the
//! very same state as advancing by `a + b` (the frame-count compensation of `LoopingCall.withCount`):
//! after any stall every snek is exactly where it would have been without one.

/// Sub-pixel units per pixel.
pub const SUBPIXELS: i64 = 256;
/// Animation frames per row of the sprite sheet.
pub const FRAMES: u32 = 8;

/// One axis of a bouncing motion. The position is kept "unfolded" on a circle of length `2 × span`:
/// the first half runs forwards from 0 to `span`, the second half back. Advancing is then a single
/// addition modulo `2 × span`, for any number of ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Axis {
    /// Unfolded position in sub-pixels, in `[0, 2 × span)`.
    unfolded: i64,
    /// Sub-pixels per tick, never negative (direction is part of `unfolded`).
    speed: i64,
    /// The distance the sprite can travel, in sub-pixels.
    span: i64,
}

impl Axis {
    /// An axis at `position` (sub-pixels from the low edge) heading forwards or backwards.
    pub fn new(position: i64, forwards: bool, speed: i64, span: i64) -> Self {
        let span = span.max(0);
        let position = position.clamp(0, span);
        let unfolded = if forwards || position == 0 { position } else { 2 * span - position };
        Self { unfolded: Self::wrap(unfolded, span), speed: speed.max(0), span }
    }

    fn wrap(unfolded: i64, span: i64) -> i64 {
        if span == 0 { 0 } else { unfolded.rem_euclid(2 * span) }
    }

    /// Moves `ticks` ticks on, bouncing off both ends.
    pub fn advance(&mut self, ticks: u64) {
        if self.span == 0 {
            return;
        }
        let period = 2 * self.span;
        if ticks == 1 && self.speed < period {
            // The fixed step's common case, without a division: same result as below.
            self.unfolded += self.speed;
            if self.unfolded >= period {
                self.unfolded -= period;
            }
            return;
        }
        // Only the remainder matters: keep the product small however long the stall.
        let steps = (ticks % period as u64) as i64;
        self.unfolded = (self.unfolded + self.speed % period * steps % period) % period;
    }

    /// Sub-pixels from the low edge, in `[0, span]`.
    pub fn position(&self) -> i64 {
        if self.unfolded <= self.span { self.unfolded } else { 2 * self.span - self.unfolded }
    }

    /// Whether it is heading towards the high edge.
    pub fn forwards(&self) -> bool {
        self.unfolded < self.span
    }

    /// The same motion in a new span (the window was resized): same place (clamped), same heading.
    pub fn resized(&self, span: i64) -> Self {
        Self::new(self.position(), self.forwards(), self.speed, span)
    }
}

/// A snek's motion and animation state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Motion {
    pub x: Axis,
    pub y: Axis,
    /// Animation frames per second.
    pub fps: u32,
    /// Ticks lived, times `fps`: the frame is this over the tick rate, so it is exact for any split.
    pub frame_ticks: u64,
}

impl Motion {
    /// Moves and animates `ticks` ticks on.
    pub fn advance(&mut self, ticks: u64) {
        self.x.advance(ticks);
        self.y.advance(ticks);
        self.frame_ticks = self.frame_ticks.wrapping_add(u64::from(self.fps).wrapping_mul(ticks));
    }

    /// The sprite-sheet column to show at `tick_hz` ticks per second.
    #[inline]
    pub fn frame(&self, tick_hz: u32) -> u32 {
        ((self.frame_ticks / u64::from(tick_hz.max(1))) % u64::from(FRAMES)) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bounces_off_both_ends() {
        let mut a = Axis::new(0, true, 3, 10);
        a.advance(3);
        assert_eq!((a.position(), a.forwards()), (9, true));
        a.advance(1);
        assert_eq!((a.position(), a.forwards()), (8, false));
        a.advance(2);
        assert_eq!((a.position(), a.forwards()), (2, false));
        a.advance(1);
        assert_eq!((a.position(), a.forwards()), (1, true));
    }

    proptest! {
        #[test]
        fn any_split_of_ticks_lands_in_the_same_place(
            pos in 0i64..100_000, fwd: bool, speed in 0i64..500, span in 0i64..400_000, fps in 5u32..=35,
            splits in proptest::collection::vec(0u64..100_000, 1..20),
        ) {
            let axis = Axis::new(pos, fwd, speed, span);
            let mut stepwise = Motion { x: axis, y: axis.resized(span / 2), fps, frame_ticks: 0 };
            let mut at_once = stepwise;
            for s in &splits {
                stepwise.advance(*s);
            }
            at_once.advance(splits.iter().sum());
            prop_assert_eq!(stepwise, at_once);
            prop_assert!(stepwise.x.position() >= 0 && stepwise.x.position() <= span.max(0));
        }

        #[test]
        fn a_tick_at_a_time_equals_a_jump(pos in 0i64..1000, speed in 1i64..50, span in 1i64..1000, n in 0u64..3000) {
            let mut one = Axis::new(pos, true, speed, span);
            let mut jump = one;
            for _ in 0..n {
                one.advance(1);
            }
            jump.advance(n);
            prop_assert_eq!(one, jump);
        }
    }
}
