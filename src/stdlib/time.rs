//! The `time` module: `time`, `time_ns`, `perf_counter`, `perf_counter_ns`, `monotonic`,
//! `monotonic_ns`, `process_time`, `sleep`.
//!
//! `perf_counter` and `monotonic` read `CLOCK_MONOTONIC`, as CPython does on Linux, so their
//! values are comparable across threads.

use super::builtins::args;
use super::{native, new_module};
use crate::object::exc::err;
use crate::object::ops::arith::{as_float, as_int, float_value};
use crate::object::{KwArgs, PyResult, Value};
use crate::thread::ThreadState;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn clock_ns(clock: libc::clockid_t) -> i64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own.
    unsafe { libc::clock_gettime(clock, &mut t) };
    t.tv_sec * 1_000_000_000 + t.tv_nsec
}

fn wall_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i64)
}

fn f_time(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_args(a, kw, "time.time")?;
    Ok(float_value(wall_ns() as f64 * 1e-9))
}

fn f_time_ns(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_args(a, kw, "time.time_ns")?;
    Ok(Value::int(wall_ns()))
}

fn f_monotonic(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_args(a, kw, "time.monotonic")?;
    Ok(float_value(clock_ns(libc::CLOCK_MONOTONIC) as f64 * 1e-9))
}

fn f_monotonic_ns(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_args(a, kw, "time.monotonic_ns")?;
    Ok(Value::int(clock_ns(libc::CLOCK_MONOTONIC)))
}

fn f_perf_counter(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_args(a, kw, "time.perf_counter")?;
    Ok(float_value(clock_ns(libc::CLOCK_MONOTONIC) as f64 * 1e-9))
}

fn f_perf_counter_ns(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_args(a, kw, "time.perf_counter_ns")?;
    Ok(Value::int(clock_ns(libc::CLOCK_MONOTONIC)))
}

fn f_process_time(_ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    args::no_args(a, kw, "time.process_time")?;
    Ok(float_value(
        clock_ns(libc::CLOCK_PROCESS_CPUTIME_ID) as f64 * 1e-9,
    ))
}

/// The duration `time.sleep(secs)` waits for (CPython's argument checks and messages).
pub fn sleep_duration(secs: &Value) -> PyResult<Duration> {
    let s = if let Some(f) = as_float(secs) {
        if f.is_nan() {
            return Err(err::value_error("Invalid value NaN (not a number)"));
        }
        f
    } else if let Some(i) = as_int(secs) {
        i.to_f64()?
    } else {
        return Err(err::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            secs.py_type().name()
        )));
    };
    if s < 0.0 {
        return Err(err::value_error("sleep length must be non-negative"));
    }
    if !s.is_finite() || s > 1e12 {
        return Err(err::overflow("timestamp out of range for platform time_t"));
    }
    Ok(Duration::from_secs_f64(s))
}

fn f_sleep(ts: &mut ThreadState, a: &[Value], kw: KwArgs) -> PyResult<Value> {
    let secs = args::exactly_one(a, kw, "time.sleep")?;
    let d = sleep_duration(secs)?;
    if !d.is_zero() {
        // Detached: handshakes on this thread are served by their requesters meanwhile.
        crate::thread::blocking(ts, || std::thread::sleep(d));
    }
    Ok(Value::NONE)
}

/// The module object.
pub fn make_module(_ts: &mut ThreadState) -> Value {
    let f = |name: &'static str, func| (name, native(name, "time", func));
    new_module(
        "time",
        vec![
            f("time", f_time),
            f("time_ns", f_time_ns),
            f("monotonic", f_monotonic),
            f("monotonic_ns", f_monotonic_ns),
            f("perf_counter", f_perf_counter),
            f("perf_counter_ns", f_perf_counter_ns),
            f("process_time", f_process_time),
            f("sleep", f_sleep),
        ],
    )
}
