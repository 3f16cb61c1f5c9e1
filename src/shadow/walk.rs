//! Walking a shadow stack from its top.

use super::ShadowFrame;

/// Iterator over the shadow frames of one stack, innermost first.
pub struct ShadowWalk {
    next: *mut ShadowFrame,
}

impl ShadowWalk {
    /// Starts at `top` (may be null).
    ///
    /// # Safety
    /// Every frame reachable from `top` must stay linked and alive while the walk runs: the walk
    /// must run on the stack's own thread, or while that thread is held at a safepoint.
    pub unsafe fn new(top: *mut ShadowFrame) -> ShadowWalk {
        ShadowWalk { next: top }
    }
}

impl Iterator for ShadowWalk {
    type Item = *mut ShadowFrame;

    fn next(&mut self) -> Option<*mut ShadowFrame> {
        if self.next.is_null() {
            return None;
        }
        let cur = self.next;
        // SAFETY: `new`'s contract keeps every linked frame alive during the walk.
        self.next = unsafe { (*cur).prev };
        Some(cur)
    }
}
