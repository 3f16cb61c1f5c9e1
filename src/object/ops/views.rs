//! Dict views: `d.keys()`, `d.values()`, `d.items()`, live views of their dict that print like
//! CPython's (`dict_keys(['a'])`), iterate (see [`super::iter`]), have a length and support `in`.

use super::super::dict::{HashKey, SetTable};
use super::super::{NativeObject, Object, PyResult, TypeId, Value};
use crate::thread::ThreadState;
use std::any::Any;

/// Which view.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ViewKind {
    /// `dict_keys`.
    Keys,
    /// `dict_values`.
    Values,
    /// `dict_items`.
    Items,
}

/// A view of a dict.
pub struct DictView {
    /// The dict.
    pub dict: Value,
    /// Which view.
    pub kind: ViewKind,
}

impl DictView {
    /// A new view value.
    pub fn new_value(dict: Value, kind: ViewKind) -> Value {
        Value::native(DictView { dict, kind })
    }

    /// The items the view yields now.
    pub fn items(&self) -> Vec<Value> {
        let Some(d) = self.dict.as_dict() else {
            return Vec::new();
        };
        let g = d.read();
        match self.kind {
            ViewKind::Keys => g.keys().map(|k| k.key.clone()).collect(),
            ViewKind::Values => g.values().cloned().collect(),
            ViewKind::Items => g
                .iter()
                .map(|(k, v)| Value::tuple(vec![k.key.clone(), v.clone()]))
                .collect(),
        }
    }

    fn name(&self) -> &'static str {
        match self.kind {
            ViewKind::Keys => "dict_keys",
            ViewKind::Values => "dict_values",
            ViewKind::Items => "dict_items",
        }
    }
}

impl NativeObject for DictView {
    fn py_type(&self) -> TypeId {
        TypeId::Other(self.name())
    }

    fn traverse(&self, visit: &mut dyn FnMut(crate::object::cycles::Edge<'_>)) {
        visit(crate::object::cycles::Edge::Value(&self.dict));
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn repr(&self, _this: &Value, ts: &mut ThreadState) -> PyResult<String> {
        let items = Value::list(self.items());
        Ok(format!("{}({})", self.name(), super::repr(ts, &items)?))
    }

    fn len(&self, _ts: &mut ThreadState) -> Option<PyResult<usize>> {
        Some(Ok(self.dict.as_dict().map_or(0, |d| d.read().len())))
    }

    fn contains(&self, ts: &mut ThreadState, key: &Value) -> Option<PyResult<bool>> {
        Some((|| match self.kind {
            ViewKind::Keys => super::contains(ts, &self.dict, key),
            ViewKind::Items => {
                let Some(pair) = key.as_tuple().filter(|t| t.len() == 2) else {
                    return Ok(false);
                };
                let Ok(hk) = HashKey::new(pair[0].clone()) else {
                    return Ok(false);
                };
                let found = self.dict.as_dict().and_then(|d| d.read().get(&hk).cloned());
                match found {
                    Some(v) => super::eq(ts, &v, &pair[1]),
                    None => Ok(false),
                }
            }
            ViewKind::Values => {
                for v in self.items() {
                    if super::eq(ts, &v, key)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        })())
    }

    fn iter_items(&self, _ts: &mut ThreadState) -> Option<PyResult<Vec<Value>>> {
        Some(Ok(self.items()))
    }
}

/// The keys of a keys/items view or a set, as a set table (for comparisons).
fn as_set(v: &Value) -> Option<PyResult<SetTable>> {
    match v.obj() {
        Some(Object::Set(s)) => Some(Ok(s.lock().clone())),
        Some(Object::Native(n)) => {
            let view = n.downcast_ref::<DictView>()?;
            if view.kind == ViewKind::Values {
                return None;
            }
            Some((|| {
                let mut t = SetTable::new();
                for item in view.items() {
                    t.add(HashKey::new(item)?);
                }
                Ok(t)
            })())
        }
        _ => None,
    }
}

/// `a == b` when one side is a keys/items view: equal when both are set-like with the same
/// elements. `None` when the comparison is not view-specific.
pub fn view_eq(
    _ts: &mut ThreadState,
    a: &Value,
    b: &Value,
    _native: &dyn NativeObject,
) -> Option<PyResult<bool>> {
    let x = as_set(a)?;
    let y = as_set(b)?;
    Some((|| {
        let (x, y) = (x?, y?);
        Ok(x.len() == y.len() && x.hash_keys().all(|k| y.contains(k)))
    })())
}
