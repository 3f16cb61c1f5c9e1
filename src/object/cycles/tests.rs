//! The collector on hand-built graphs: cycles nobody else holds are freed, everything an outside
//! reference reaches stays intact. Each test registers its own objects (never the global
//! registry, which other tests' threads would share).

use super::collect;
use crate::object::rc::WeakRef;
use crate::object::{HashKey, Value};

fn weak(v: &Value) -> WeakRef {
    v.downgrade().expect("a heap value")
}

fn alive(w: &WeakRef) -> bool {
    w.is_alive()
}

fn append(list: &Value, v: Value) {
    list.as_list().unwrap().lock().push(v);
}

fn set_item(dict: &Value, k: &str, v: Value) {
    let key = HashKey::new(Value::str(k)).unwrap();
    dict.as_dict().unwrap().lock().insert(key, v);
}

#[test]
fn a_list_holding_itself_is_freed() {
    let a = Value::list(vec![]);
    append(&a, a.clone());
    let w = weak(&a);
    drop(a);
    assert!(alive(&w), "reference counting alone cannot free it");
    assert_eq!(collect(vec![w.clone()]), 1);
    assert!(!alive(&w));
}

#[test]
fn a_cycle_through_a_tuple_and_a_dict_is_freed_whole() {
    // d = {}; t = (d, [1, 2]); d['t'] = t
    let d = Value::dict();
    let inner = Value::list(vec![Value::int(1), Value::int(2)]);
    let t = Value::tuple(vec![d.clone(), inner.clone()]);
    set_item(&d, "t", t.clone());
    let ws = [weak(&d), weak(&t), weak(&inner)];
    drop((d, t, inner));
    assert!(ws.iter().all(alive));
    assert_eq!(collect(ws.to_vec()), 3);
    assert!(!ws.iter().any(alive));
}

#[test]
fn a_cycle_held_from_outside_stays_intact() {
    let a = Value::list(vec![]);
    let b = Value::list(vec![a.clone()]);
    append(&a, b.clone());
    let ws = vec![weak(&a), weak(&b)];
    // `a` is held by this test (a reference no tracked object accounts for): `b` is reachable
    // from it, so both stay.
    drop(b);
    assert_eq!(collect(ws.clone()), 0);
    assert!(ws.iter().all(alive));
    assert_eq!(a.as_list().unwrap().lock().len(), 1);
    let b = a.as_list().unwrap().lock()[0].clone();
    assert_eq!(b.as_list().unwrap().lock().len(), 1);
    // Break it so the test itself does not leak.
    a.as_list().unwrap().lock().clear();
}

#[test]
fn an_untracked_holder_keeps_its_objects() {
    // A cycle also referenced from a Rust structure the collector does not know (an interpreter
    // value stack, a JIT frame slot): never freed.
    let a = Value::list(vec![]);
    append(&a, a.clone());
    let stack: Vec<Value> = vec![a.clone()];
    let w = weak(&a);
    drop(a);
    assert_eq!(collect(vec![w.clone()]), 0);
    assert!(alive(&w));
    stack[0].as_list().unwrap().lock().clear();
    drop(stack);
    assert!(!alive(&w));
}

#[test]
fn duplicate_registrations_count_once() {
    let a = Value::list(vec![]);
    append(&a, a.clone());
    let w = weak(&a);
    let keep = a.clone();
    drop(a);
    assert_eq!(collect(vec![w.clone(), w.clone()]), 0, "held by `keep`");
    assert!(alive(&w));
    keep.as_list().unwrap().lock().clear();
}

#[test]
fn an_over_reporting_traversal_frees_nothing() {
    // holder -> liar (a shared node) -> list -> holder is a cycle, and `keep` holds the list from
    // outside. The liar reports its one reference to the list three times: by the numbers the
    // list would have no outside reference left (a negative count), the whole cycle would look
    // like garbage and `keep`'s list would be cleared. The collector must refuse instead.
    use super::{Edge, Graveyard, Holder};
    struct Liar(Value);
    impl Holder for Liar {
        fn traverse(&self, visit: &mut dyn FnMut(Edge<'_>)) {
            for _ in 0..3 {
                visit(Edge::Value(&self.0));
            }
        }
        fn clear_refs(&self, _graveyard: &mut Graveyard) {}
    }
    struct Holds(*const Liar);
    // SAFETY: test-only: the pointee outlives the object, which never crosses threads.
    unsafe impl Send for Holds {}
    // SAFETY: as above.
    unsafe impl Sync for Holds {}
    impl crate::object::NativeObject for Holds {
        fn py_type(&self) -> crate::object::TypeId {
            crate::object::TypeId::Object
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
        fn traverse(&self, visit: &mut dyn FnMut(Edge<'_>)) {
            // SAFETY: the liar outlives this object (see the end of the test).
            let node: &Liar = unsafe { &*self.0 };
            visit(Edge::Shared {
                id: self.0 as usize,
                count: 1,
                node,
            });
        }
    }
    let list = Value::list(vec![]);
    let liar = Box::new(Liar(list.clone()));
    let holder = Value::native(Holds(&*liar));
    append(&list, holder.clone());
    let tracked = vec![weak(&list), weak(&holder)];
    drop(holder);
    let keep = list;
    assert_eq!(collect(tracked), 0);
    assert_eq!(
        keep.as_list().unwrap().lock().len(),
        1,
        "a live list was cleared"
    );
    keep.as_list().unwrap().lock().clear();
    drop(liar);
}
