// Generated from CPython 3.13 by `testdata/gen_chains.py`: do not edit.

use super::{Arg, ChainCase, Exc, Run};

pub(super) const CASES: &[ChainCase] = &[
    ChainCase {
        name: "chained",
        filename: "/tmp/tbo/chains/chained.py",
        source: "def inner():\n    raise LookupError(\"missing\")\n\ndef handler():\n    try:\n        inner()\n    except LookupError:\n        raise RuntimeError(\"handler failed\")\n\ndef explicit():\n    try:\n        handler()\n    except RuntimeError as e:\n        raise ValueError(\"wrapped\") from e\n\nexplicit()\n",
        codes: &[("<module>", &[(Some(16), Some(16), Some(0), Some(10))]), ("explicit", &[(Some(14), Some(14), Some(8), Some(42)), (Some(12), Some(12), Some(8), Some(17))]), ("handler", &[(Some(8), Some(8), Some(8), Some(44)), (Some(6), Some(6), Some(8), Some(15))]), ("inner", &[(Some(2), Some(2), Some(4), Some(32))])],
        excs: &[
            Exc { kind: "ValueError", args: &[Arg::Str("wrapped")], tb: &[(0, 0, 1), (1, 0, 1)], cause: Some(1), context: Some(1), suppress: true },
            Exc { kind: "RuntimeError", args: &[Arg::Str("handler failed")], tb: &[(1, 1, 1), (2, 0, 1)], cause: None, context: Some(2), suppress: false },
            Exc { kind: "LookupError", args: &[Arg::Str("missing")], tb: &[(2, 1, 1), (3, 0, 1)], cause: None, context: None, suppress: false },
        ],
        runs: &[
            Run { limit: None, chain: true, expected: "Traceback (most recent call last):\n  File \"/tmp/tbo/chains/chained.py\", line 6, in handler\n    inner()\n    ~~~~~^^\n  File \"/tmp/tbo/chains/chained.py\", line 2, in inner\n    raise LookupError(\"missing\")\nLookupError: missing\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"/tmp/tbo/chains/chained.py\", line 12, in explicit\n    handler()\n    ~~~~~~~^^\n  File \"/tmp/tbo/chains/chained.py\", line 8, in handler\n    raise RuntimeError(\"handler failed\")\nRuntimeError: handler failed\n\nThe above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\n  File \"/tmp/tbo/chains/chained.py\", line 16, in <module>\n    explicit()\n    ~~~~~~~~^^\n  File \"/tmp/tbo/chains/chained.py\", line 14, in explicit\n    raise ValueError(\"wrapped\") from e\nValueError: wrapped\n" },
            Run { limit: None, chain: false, expected: "Traceback (most recent call last):\n  File \"/tmp/tbo/chains/chained.py\", line 16, in <module>\n    explicit()\n    ~~~~~~~~^^\n  File \"/tmp/tbo/chains/chained.py\", line 14, in explicit\n    raise ValueError(\"wrapped\") from e\nValueError: wrapped\n" },
            Run { limit: Some(1), chain: true, expected: "Traceback (most recent call last):\n  File \"/tmp/tbo/chains/chained.py\", line 6, in handler\n    inner()\n    ~~~~~^^\nLookupError: missing\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"/tmp/tbo/chains/chained.py\", line 12, in explicit\n    handler()\n    ~~~~~~~^^\nRuntimeError: handler failed\n\nThe above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\n  File \"/tmp/tbo/chains/chained.py\", line 16, in <module>\n    explicit()\n    ~~~~~~~~^^\nValueError: wrapped\n" },
            Run { limit: Some(-1), chain: true, expected: "Traceback (most recent call last):\n  File \"/tmp/tbo/chains/chained.py\", line 2, in inner\n    raise LookupError(\"missing\")\nLookupError: missing\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"/tmp/tbo/chains/chained.py\", line 8, in handler\n    raise RuntimeError(\"handler failed\")\nRuntimeError: handler failed\n\nThe above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\n  File \"/tmp/tbo/chains/chained.py\", line 14, in explicit\n    raise ValueError(\"wrapped\") from e\nValueError: wrapped\n" },
            Run { limit: Some(0), chain: true, expected: "LookupError: missing\n\nDuring handling of the above exception, another exception occurred:\n\nRuntimeError: handler failed\n\nThe above exception was the direct cause of the following exception:\n\nValueError: wrapped\n" },
        ],
    },
    ChainCase {
        name: "deep",
        filename: "/tmp/tbo/chains/deep.py",
        source: "import sys\nsys.setrecursionlimit(30000)\n\ndef down(n):\n    if n == 0:\n        raise LookupError(\"reached the bottom\")\n    return down(n - 1)\n\ndown(20000)\n",
        codes: &[("<module>", &[(Some(9), Some(9), Some(0), Some(11))]), ("down", &[(Some(7), Some(7), Some(11), Some(22)), (Some(6), Some(6), Some(8), Some(47))])],
        excs: &[
            Exc { kind: "LookupError", args: &[Arg::Str("reached the bottom")], tb: &[(0, 0, 1), (1, 0, 20000), (1, 1, 1)], cause: None, context: None, suppress: false },
        ],
        runs: &[
            Run { limit: None, chain: true, expected: "Traceback (most recent call last):\n  File \"/tmp/tbo/chains/deep.py\", line 9, in <module>\n    down(20000)\n    ~~~~^^^^^^^\n  File \"/tmp/tbo/chains/deep.py\", line 7, in down\n    return down(n - 1)\n  File \"/tmp/tbo/chains/deep.py\", line 7, in down\n    return down(n - 1)\n  File \"/tmp/tbo/chains/deep.py\", line 7, in down\n    return down(n - 1)\n  [Previous line repeated 19997 more times]\n  File \"/tmp/tbo/chains/deep.py\", line 6, in down\n    raise LookupError(\"reached the bottom\")\nLookupError: reached the bottom\n" },
            Run { limit: Some(5), chain: true, expected: "Traceback (most recent call last):\n  File \"/tmp/tbo/chains/deep.py\", line 9, in <module>\n    down(20000)\n    ~~~~^^^^^^^\n  File \"/tmp/tbo/chains/deep.py\", line 7, in down\n    return down(n - 1)\n  File \"/tmp/tbo/chains/deep.py\", line 7, in down\n    return down(n - 1)\n  File \"/tmp/tbo/chains/deep.py\", line 7, in down\n    return down(n - 1)\n  [Previous line repeated 1 more time]\nLookupError: reached the bottom\n" },
            Run { limit: Some(-5), chain: true, expected: "Traceback (most recent call last):\n  File \"/tmp/tbo/chains/deep.py\", line 7, in down\n    return down(n - 1)\n  File \"/tmp/tbo/chains/deep.py\", line 7, in down\n    return down(n - 1)\n  File \"/tmp/tbo/chains/deep.py\", line 7, in down\n    return down(n - 1)\n  [Previous line repeated 1 more time]\n  File \"/tmp/tbo/chains/deep.py\", line 6, in down\n    raise LookupError(\"reached the bottom\")\nLookupError: reached the bottom\n" },
        ],
    },
    ChainCase {
        name: "alternating",
        filename: "/tmp/tbo/chains/alternating.py",
        source: "def a(n):\n    if n == 0:\n        raise ValueError(\"x\")\n    return b(n - 1)\n\ndef b(n):\n    return a(n)\n\na(40)\n",
        codes: &[("<module>", &[(Some(9), Some(9), Some(0), Some(5))]), ("a", &[(Some(4), Some(4), Some(11), Some(19)), (Some(3), Some(3), Some(8), Some(29))]), ("b", &[(Some(7), Some(7), Some(11), Some(15))])],
        excs: &[
            Exc { kind: "ValueError", args: &[Arg::Str("x")], tb: &[(0, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 0, 1), (2, 0, 1), (1, 1, 1)], cause: None, context: None, suppress: false },
        ],
        runs: &[
            Run { limit: None, chain: true, expected: "Traceback (most recent call last):\n  File \"/tmp/tbo/chains/alternating.py\", line 9, in <module>\n    a(40)\n    ~^^^^\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 4, in a\n    return b(n - 1)\n  File \"/tmp/tbo/chains/alternating.py\", line 7, in b\n    return a(n)\n  File \"/tmp/tbo/chains/alternating.py\", line 3, in a\n    raise ValueError(\"x\")\nValueError: x\n" },
        ],
    },
    ChainCase {
        name: "mixed_runs",
        filename: "/tmp/tbo/chains/mixed_runs.py",
        source: "def f(n, stop):\n    if n == stop:\n        raise RuntimeError(\"done\")\n    if n < 5:\n        return f(n + 1, stop)\n    return f(n + 1, stop)\n\nf(0, 12)\n",
        codes: &[("<module>", &[(Some(8), Some(8), Some(0), Some(8))]), ("f", &[(Some(5), Some(5), Some(15), Some(29)), (Some(6), Some(6), Some(11), Some(25)), (Some(3), Some(3), Some(8), Some(34))])],
        excs: &[
            Exc { kind: "RuntimeError", args: &[Arg::Str("done")], tb: &[(0, 0, 1), (1, 0, 5), (1, 1, 7), (1, 2, 1)], cause: None, context: None, suppress: false },
        ],
        runs: &[
            Run { limit: None, chain: true, expected: "Traceback (most recent call last):\n  File \"/tmp/tbo/chains/mixed_runs.py\", line 8, in <module>\n    f(0, 12)\n    ~^^^^^^^\n  File \"/tmp/tbo/chains/mixed_runs.py\", line 5, in f\n    return f(n + 1, stop)\n  File \"/tmp/tbo/chains/mixed_runs.py\", line 5, in f\n    return f(n + 1, stop)\n  File \"/tmp/tbo/chains/mixed_runs.py\", line 5, in f\n    return f(n + 1, stop)\n  [Previous line repeated 2 more times]\n  File \"/tmp/tbo/chains/mixed_runs.py\", line 6, in f\n    return f(n + 1, stop)\n  File \"/tmp/tbo/chains/mixed_runs.py\", line 6, in f\n    return f(n + 1, stop)\n  File \"/tmp/tbo/chains/mixed_runs.py\", line 6, in f\n    return f(n + 1, stop)\n  [Previous line repeated 4 more times]\n  File \"/tmp/tbo/chains/mixed_runs.py\", line 3, in f\n    raise RuntimeError(\"done\")\nRuntimeError: done\n" },
        ],
    },
    ChainCase {
        name: "exactly_four",
        filename: "/tmp/tbo/chains/exactly_four.py",
        source: "def f(n):\n    if n == 0:\n        raise RuntimeError\n    return f(n - 1)\n\nf(3)\n",
        codes: &[("<module>", &[(Some(6), Some(6), Some(0), Some(4))]), ("f", &[(Some(4), Some(4), Some(11), Some(19)), (Some(3), Some(3), Some(8), Some(26))])],
        excs: &[
            Exc { kind: "RuntimeError", args: &[], tb: &[(0, 0, 1), (1, 0, 3), (1, 1, 1)], cause: None, context: None, suppress: false },
        ],
        runs: &[
            Run { limit: None, chain: true, expected: "Traceback (most recent call last):\n  File \"/tmp/tbo/chains/exactly_four.py\", line 6, in <module>\n    f(3)\n    ~^^^\n  File \"/tmp/tbo/chains/exactly_four.py\", line 4, in f\n    return f(n - 1)\n  File \"/tmp/tbo/chains/exactly_four.py\", line 4, in f\n    return f(n - 1)\n  File \"/tmp/tbo/chains/exactly_four.py\", line 4, in f\n    return f(n - 1)\n  File \"/tmp/tbo/chains/exactly_four.py\", line 3, in f\n    raise RuntimeError\nRuntimeError\n" },
        ],
    },
    ChainCase {
        name: "cycle",
        filename: "/tmp/tbo/chains/cycle.py",
        source: "def go():\n    try:\n        try:\n            raise ValueError(\"a\")\n        except ValueError as a:\n            raise TypeError(\"b\")\n    except TypeError as b:\n        a.__context__ = b\n        raise\ngo()\n",
        codes: &[("<module>", &[(Some(10), Some(10), Some(0), Some(4))]), ("go", &[(Some(8), Some(8), Some(8), Some(9)), (Some(6), Some(6), Some(12), Some(32)), (Some(4), Some(4), Some(12), Some(33))])],
        excs: &[
            Exc { kind: "UnboundLocalError", args: &[Arg::Str("cannot access local variable 'a' where it is not associated with a value")], tb: &[(0, 0, 1), (1, 0, 1)], cause: None, context: Some(1), suppress: false },
            Exc { kind: "TypeError", args: &[Arg::Str("b")], tb: &[(1, 1, 1)], cause: None, context: Some(2), suppress: false },
            Exc { kind: "ValueError", args: &[Arg::Str("a")], tb: &[(1, 2, 1)], cause: None, context: None, suppress: false },
        ],
        runs: &[
            Run { limit: None, chain: true, expected: "Traceback (most recent call last):\n  File \"/tmp/tbo/chains/cycle.py\", line 4, in go\n    raise ValueError(\"a\")\nValueError: a\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"/tmp/tbo/chains/cycle.py\", line 6, in go\n    raise TypeError(\"b\")\nTypeError: b\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"/tmp/tbo/chains/cycle.py\", line 10, in <module>\n    go()\n    ~~^^\n  File \"/tmp/tbo/chains/cycle.py\", line 8, in go\n    a.__context__ = b\n    ^\nUnboundLocalError: cannot access local variable 'a' where it is not associated with a value\n" },
        ],
    },
    ChainCase {
        name: "from_none",
        filename: "/tmp/tbo/chains/from_none.py",
        source: "def go():\n    try:\n        raise ValueError(\"hidden\")\n    except ValueError:\n        raise KeyboardInterrupt(\"shown\") from None\ngo()\n",
        codes: &[("<module>", &[(Some(6), Some(6), Some(0), Some(4))]), ("go", &[(Some(5), Some(5), Some(8), Some(50)), (Some(3), Some(3), Some(8), Some(34))])],
        excs: &[
            Exc { kind: "KeyboardInterrupt", args: &[Arg::Str("shown")], tb: &[(0, 0, 1), (1, 0, 1)], cause: None, context: Some(1), suppress: true },
            Exc { kind: "ValueError", args: &[Arg::Str("hidden")], tb: &[(1, 1, 1)], cause: None, context: None, suppress: false },
        ],
        runs: &[
            Run { limit: None, chain: true, expected: "Traceback (most recent call last):\n  File \"/tmp/tbo/chains/from_none.py\", line 6, in <module>\n    go()\n    ~~^^\n  File \"/tmp/tbo/chains/from_none.py\", line 5, in go\n    raise KeyboardInterrupt(\"shown\") from None\nKeyboardInterrupt: shown\n" },
        ],
    },
    ChainCase {
        name: "cause_and_context",
        filename: "/tmp/tbo/chains/cause_and_context.py",
        source: "def go():\n    try:\n        raise ValueError(\"context\")\n    except ValueError:\n        raise TypeError(\"effect\") from RuntimeError(\"cause\")\ngo()\n",
        codes: &[("<module>", &[(Some(6), Some(6), Some(0), Some(4))]), ("go", &[(Some(5), Some(5), Some(8), Some(60)), (Some(3), Some(3), Some(8), Some(35))])],
        excs: &[
            Exc { kind: "TypeError", args: &[Arg::Str("effect")], tb: &[(0, 0, 1), (1, 0, 1)], cause: Some(2), context: Some(1), suppress: true },
            Exc { kind: "ValueError", args: &[Arg::Str("context")], tb: &[(1, 1, 1)], cause: None, context: None, suppress: false },
            Exc { kind: "RuntimeError", args: &[Arg::Str("cause")], tb: &[], cause: None, context: None, suppress: false },
        ],
        runs: &[
            Run { limit: None, chain: true, expected: "RuntimeError: cause\n\nThe above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\n  File \"/tmp/tbo/chains/cause_and_context.py\", line 6, in <module>\n    go()\n    ~~^^\n  File \"/tmp/tbo/chains/cause_and_context.py\", line 5, in go\n    raise TypeError(\"effect\") from RuntimeError(\"cause\")\nTypeError: effect\n" },
        ],
    },
    ChainCase {
        name: "syntax_error_raised",
        filename: "/tmp/tbo/chains/syntax_error_raised.py",
        source: "def go():\n    raise SyntaxError(\"bad thing\", (\"/x/f.py\", 3, 5, \"    y = = 2\\n\", 3, 8))\ngo()\n",
        codes: &[("<module>", &[(Some(3), Some(3), Some(0), Some(4))]), ("go", &[(Some(2), Some(2), Some(4), Some(76))])],
        excs: &[
            Exc { kind: "SyntaxError", args: &[Arg::Str("bad thing"), Arg::Tuple(&[Arg::Str("/x/f.py"), Arg::Int(3), Arg::Int(5), Arg::Str("    y = = 2\n"), Arg::Int(3), Arg::Int(8)])], tb: &[(0, 0, 1), (1, 0, 1)], cause: None, context: None, suppress: false },
        ],
        runs: &[
            Run { limit: None, chain: true, expected: "Traceback (most recent call last):\n  File \"/tmp/tbo/chains/syntax_error_raised.py\", line 3, in <module>\n    go()\n    ~~^^\n  File \"/tmp/tbo/chains/syntax_error_raised.py\", line 2, in go\n    raise SyntaxError(\"bad thing\", (\"/x/f.py\", 3, 5, \"    y = = 2\\n\", 3, 8))\n  File \"/x/f.py\", line 3\n    y = = 2\n    ^^^\nSyntaxError: bad thing\n" },
        ],
    },
    ChainCase {
        name: "empty_message",
        filename: "/tmp/tbo/chains/empty_message.py",
        source: "raise ValueError\n",
        codes: &[("<module>", &[(Some(1), Some(1), Some(0), Some(16))])],
        excs: &[
            Exc { kind: "ValueError", args: &[], tb: &[(0, 0, 1)], cause: None, context: None, suppress: false },
        ],
        runs: &[
            Run { limit: None, chain: true, expected: "Traceback (most recent call last):\n  File \"/tmp/tbo/chains/empty_message.py\", line 1, in <module>\n    raise ValueError\nValueError\n" },
        ],
    },
];
