//! Snek motion in exact integer arithmetic, so that advancing by `a` ticks and then `b` gives the
//! very same state as advancing by `a + b` (the frame-count compensation of `LoopingCall.withCount`):
//! after any stall every snek is exactly where it would have been without one.

/// Sub-pixel units per pixel.
pub const SUBPIXELS: i64 = 256;
/// Animation frames per row of the sprite sheet.
pub const FRAMES: u32 = 8;

/// One axis of a bouncing motion. The position is kept "unfolded" on a circle of length `2 × span`:
/// the first half runs forwards from 0 to `span`, the second half back. Advancing is then a single
/// addition modulo `2 × span`, for any number of ticks. Kept in 32 bits so that a hundred thousand
/// sneks stay small in memory: a span of 2³⁰ sub-pixels is over four million pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Axis {
    /// Unfolded position in sub-pixels, in `[0, 2 × span)`.
    unfolded: i32,
    /// Sub-pixels per tick, never negative (direction is part of `unfolded`).
    speed: i32,
    /// The distance the sprite can travel, in sub-pixels.
    span: i32,
}

/// The largest span an axis keeps (larger ones are clamped).
pub const MAX_SPAN: i64 = 1 << 30;

impl Axis {
    /// An axis at `position` (sub-pixels from the low edge) heading forwards or backwards.
    pub fn new(position: i64, forwards: bool, speed: i64, span: i64) -> Self {
        let span = span.clamp(0, MAX_SPAN);
        let position = position.clamp(0, span);
        let unfolded = if forwards || position == 0 { position } else { 2 * span - position };
        let unfolded = if span == 0 { 0 } else { unfolded.rem_euclid(2 * span) };
        Self { unfolded: unfolded as i32, speed: speed.clamp(0, MAX_SPAN) as i32, span: span as i32 }
    }

    /// Moves `ticks` ticks on, bouncing off both ends.
    #[inline]
    pub fn advance(&mut self, ticks: u64) {
        if self.span == 0 {
            return;
        }
        let period = 2 * i64::from(self.span);
        let unfolded = i64::from(self.unfolded);
        let speed = i64::from(self.speed);
        let next = if ticks == 1 && speed < period {
            // The fixed step's common case, without a division: the same result as below.
            let next = unfolded + speed;
            if next >= period { next - period } else { next }
        } else {
            // Only remainders matter: the product stays small however long the stall.
            let steps = (ticks % period as u64) as i64;
            (unfolded + speed % period * steps % period) % period
        };
        self.unfolded = next as i32;
    }

    /// Sub-pixels from the low edge, in `[0, span]`.
    #[inline]
    pub fn position(&self) -> i64 {
        let (u, span) = (i64::from(self.unfolded), i64::from(self.span));
        if u <= span { u } else { 2 * span - u }
    }

    /// Whether it is heading towards the high edge.
    #[inline]
    pub fn forwards(&self) -> bool {
        self.unfolded < self.span
    }

    /// The same motion in a new span (the window was resized): same place (clamped), same heading.
    pub fn resized(&self, span: i64) -> Self {
        Self::new(self.position(), self.forwards(), i64::from(self.speed), span)
    }
}

/// A snek's motion and animation state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Motion {
    pub x: Axis,
    pub y: Axis,
    /// Animation frames per second.
    pub fps: u32,
    /// Where the animation is: ticks lived times `fps`, modulo one full cycle of the sheet's frames
    /// (`tick_hz × FRAMES`), so it is exact for any split of ticks.
    pub phase: u32,
}

impl Motion {
    /// Moves and animates `ticks` ticks on, with `tick_hz` ticks per second.
    #[inline]
    pub fn advance(&mut self, ticks: u64, tick_hz: u32) {
        self.x.advance(ticks);
        self.y.advance(ticks);
        let cycle = u64::from(tick_hz.max(1) * FRAMES);
        let step = u64::from(self.fps) * (ticks % cycle);
        self.phase = ((u64::from(self.phase) + step) % cycle) as u32;
    }

    /// The sprite-sheet column to show.
    #[inline]
    pub fn frame(&self, tick_hz: u32) -> u32 {
        self.phase / tick_hz.max(1) % FRAMES
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HZ: u32 = 60;

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
            let mut stepwise = Motion { x: axis, y: axis.resized(span / 2), fps, phase: 0 };
            let mut at_once = stepwise;
            for s in &splits {
                stepwise.advance(*s, HZ);
            }
            at_once.advance(splits.iter().sum(), HZ);
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
