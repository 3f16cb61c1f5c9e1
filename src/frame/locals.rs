//! `FrameLocalsProxy` (PEP 667): `frame.f_locals` of a function frame, a write-through view of
//! the frame's fast locals. Reads see the activation's current values; writes change what the
//! activation computes next. Names that are not fast locals live in the frame object's extra
//! locals, as CPython keeps them in the frame's `f_extra_locals`.

use super::FrameObject;
use crate::object::exc::err;
use crate::object::{
    Builtin, ExcKind, KwArgs, NativeObject, Object, PyErr, PyResult, TypeId, Value,
};
use crate::thread::ThreadState;
use std::any::Any;

/// `frame.f_locals` for function frames.
pub struct FrameLocalsProxy {
    frame: Value,
}

impl FrameLocalsProxy {
    /// A proxy for the frame object `frame`.
    pub fn new(frame: Value) -> FrameLocalsProxy {
        FrameLocalsProxy { frame }
    }

    fn frame(&self) -> &FrameObject {
        self.frame
            .downcast::<FrameObject>()
            .expect("proxy of a frame object")
    }

    /// The items, locals first (in `co_varnames` order) then extras.
    pub fn items(&self, ts: &mut ThreadState) -> PyResult<Vec<(Value, Value)>> {
        let mut out: Vec<(Value, Value)> = self
            .frame()
            .locals(ts)?
            .into_iter()
            .map(|(n, v)| (Value::str(&n), v))
            .collect();
        out.extend(
            self.frame()
                .extras()
                .into_iter()
                .map(|(k, v)| (Value::str(&k), v)),
        );
        Ok(out)
    }

    fn key_name(key: &Value) -> PyResult<&str> {
        key.as_str()
            .ok_or_else(|| err::type_error("local names must be strings"))
    }

    fn get(&self, ts: &mut ThreadState, name: &str) -> PyResult<Option<Value>> {
        let f = self.frame();
        if let Some(i) = f.code().local_index(name) {
            return f.get_local(ts, i);
        }
        Ok(f.get_extra(name))
    }
}

fn key_error(key: &Value) -> PyErr {
    PyErr::with_args(ExcKind::KeyError, vec![key.clone()])
}

fn proxy_of(args: &[Value]) -> PyResult<&FrameLocalsProxy> {
    args.first()
        .and_then(|v| v.downcast::<FrameLocalsProxy>())
        .ok_or_else(|| err::type_error("descriptor needs a FrameLocalsProxy"))
}

fn m_keys(ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    Ok(Value::list(
        proxy_of(args)?
            .items(ts)?
            .into_iter()
            .map(|(k, _)| k)
            .collect(),
    ))
}

fn m_values(ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    Ok(Value::list(
        proxy_of(args)?
            .items(ts)?
            .into_iter()
            .map(|(_, v)| v)
            .collect(),
    ))
}

fn m_items(ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    Ok(Value::list(
        proxy_of(args)?
            .items(ts)?
            .into_iter()
            .map(|(k, v)| Value::tuple(vec![k, v]))
            .collect(),
    ))
}

fn m_get(ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    let p = proxy_of(args)?;
    let key = args
        .get(1)
        .ok_or_else(|| err::type_error("get expected at least 1 argument, got 0"))?;
    let default = args.get(2).cloned().unwrap_or(Value::NONE);
    Ok(p.get(ts, FrameLocalsProxy::key_name(key)?)?
        .unwrap_or(default))
}

fn m_update(ts: &mut ThreadState, args: &[Value], kw: KwArgs) -> PyResult<Value> {
    let p = proxy_of(args)?;
    if let Some(other) = args.get(1) {
        let d =
            crate::stdlib::builtins::call_type(ts, TypeId::Dict, std::slice::from_ref(other), &[])?;
        let items: Vec<(Value, Value)> = d
            .as_dict()
            .map(|d| {
                d.read()
                    .iter()
                    .map(|(k, v)| (k.key.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        for (k, v) in items {
            p.setitem(ts, &k, &v).expect("proxies support setitem")?;
        }
    }
    for (k, v) in kw {
        p.setitem(ts, k, v).expect("proxies support setitem")?;
    }
    Ok(Value::NONE)
}

fn m_setdefault(ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    let p = proxy_of(args)?;
    let key = args
        .get(1)
        .ok_or_else(|| err::type_error("setdefault expected at least 1 argument, got 0"))?;
    let default = args.get(2).cloned().unwrap_or(Value::NONE);
    if let Some(v) = p.get(ts, FrameLocalsProxy::key_name(key)?)? {
        return Ok(v);
    }
    p.setitem(ts, key, &default)
        .expect("proxies support setitem")?;
    Ok(default)
}

fn m_copy(ts: &mut ThreadState, args: &[Value], _kw: KwArgs) -> PyResult<Value> {
    crate::stdlib::builtins::call_type(ts, TypeId::Dict, &[proxy_value(args)?], &[])
}

fn proxy_value(args: &[Value]) -> PyResult<Value> {
    proxy_of(args)?;
    Ok(args[0].clone())
}

impl NativeObject for FrameLocalsProxy {
    fn py_type(&self) -> TypeId {
        TypeId::FrameLocalsProxy
    }

    fn traverse(&self, visit: &mut dyn FnMut(crate::object::cycles::Edge<'_>)) {
        visit(crate::object::cycles::Edge::Value(&self.frame));
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn getattr(&self, this: &Value, _ts: &mut ThreadState, name: &str) -> Option<PyResult<Value>> {
        let func = match name {
            "keys" => m_keys,
            "values" => m_values,
            "items" => m_items,
            "get" => m_get,
            "update" => m_update,
            "setdefault" => m_setdefault,
            "copy" => m_copy,
            _ => return None,
        };
        let name = match name {
            "keys" => "keys",
            "values" => "values",
            "items" => "items",
            "update" => "update",
            "setdefault" => "setdefault",
            "copy" => "copy",
            _ => "get",
        };
        Some(Ok(Value::from_object(Object::Builtin(Builtin {
            name,
            func,
            bound: Some(this.clone()),
            owner: "FrameLocalsProxy",
        }))))
    }

    fn repr(&self, _this: &Value, ts: &mut ThreadState) -> PyResult<String> {
        let mut parts = Vec::new();
        for (k, v) in self.items(ts)? {
            parts.push(format!(
                "{}: {}",
                crate::object::ops::repr(ts, &k)?,
                crate::object::ops::repr(ts, &v)?
            ));
        }
        Ok(format!("{{{}}}", parts.join(", ")))
    }

    fn getitem(&self, ts: &mut ThreadState, key: &Value) -> Option<PyResult<Value>> {
        Some((|| {
            self.get(ts, Self::key_name(key)?)?
                .ok_or_else(|| key_error(key))
        })())
    }

    fn setitem(&self, ts: &mut ThreadState, key: &Value, value: &Value) -> Option<PyResult<()>> {
        Some((|| {
            let name = Self::key_name(key)?;
            let f = self.frame();
            if let Some(i) = f.code().local_index(name) {
                return f.set_local(ts, i, Some(value.clone()));
            }
            f.set_extra(name, value.clone());
            Ok(())
        })())
    }

    fn delitem(&self, _ts: &mut ThreadState, key: &Value) -> Option<PyResult<()>> {
        Some((|| {
            let name = Self::key_name(key)?;
            if self.frame().code().local_index(name).is_some() {
                return Err(err::type_error(
                    "cannot remove variables from FrameLocalsProxy",
                ));
            }
            if !self.frame().del_extra(name) {
                return Err(key_error(key));
            }
            Ok(())
        })())
    }

    fn len(&self, ts: &mut ThreadState) -> Option<PyResult<usize>> {
        Some(self.items(ts).map(|i| i.len()))
    }

    fn contains(&self, ts: &mut ThreadState, key: &Value) -> Option<PyResult<bool>> {
        Some((|| Ok(self.get(ts, Self::key_name(key)?)?.is_some()))())
    }

    fn iter_items(&self, ts: &mut ThreadState) -> Option<PyResult<Vec<Value>>> {
        Some(
            self.items(ts)
                .map(|i| i.into_iter().map(|(k, _)| k).collect()),
        )
    }
}
