;; The two byte loops of search_logs' pure-Node scan, in WebAssembly SIMD (128-bit), because plain
;; JavaScript tops out near 1-3 GB/s on them and ripgrep, the reference, reads at 15-30 GB/s.
;; Assembled by `npm run build:wasm` into byteScanWasm.ts; byteScan.ts is the only user.
;;
;; Memory is the caller's: it writes needles and file blocks into it and passes offsets. Every
;; load may read up to 64 bytes past `end`: the caller keeps that much slack after its data.
(module
  (import "env" "memory" (memory 1))

  ;; Number of newline bytes (0x0a) in [p, end).
  (func (export "count") (param $p i32) (param $end i32) (result i32)
    (local $n i32)
    (local $nl v128)
    (local.set $nl (i8x16.splat (i32.const 10)))
    ;; 64 bytes a turn: compare, one bit per byte, population count.
    (block $short
      (loop $wide
        (br_if $short (i32.gt_u (i32.add (local.get $p) (i32.const 64)) (local.get $end)))
        (local.set $n
          (i32.add (local.get $n)
            (i32.add
              (i32.add
                (i32.popcnt (i8x16.bitmask (i8x16.eq (v128.load offset=0 (local.get $p)) (local.get $nl))))
                (i32.popcnt (i8x16.bitmask (i8x16.eq (v128.load offset=16 (local.get $p)) (local.get $nl)))))
              (i32.add
                (i32.popcnt (i8x16.bitmask (i8x16.eq (v128.load offset=32 (local.get $p)) (local.get $nl))))
                (i32.popcnt (i8x16.bitmask (i8x16.eq (v128.load offset=48 (local.get $p)) (local.get $nl))))))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (br $wide)))
    ;; The last bytes one at a time: the slack past `end` must not be counted.
    (block $done
      (loop $narrow
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $n (i32.add (local.get $n) (i32.eq (i32.load8_u (local.get $p)) (i32.const 10))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $narrow)))
    (local.get $n))

  ;; Whether the needle occurs at $at. A needle of $len bytes is stored at $needle as its bytes
  ;; (letters in lower case when case is ignored) followed by one mask per byte: 0x20 for a letter
  ;; whose case is ignored (OR-ing it folds A-Z onto a-z), else 0.
  (func $holds (param $at i32) (param $needle i32) (param $len i32) (result i32)
    (local $i i32)
    (loop $next
      (if (i32.ge_u (local.get $i) (local.get $len)) (then (return (i32.const 1))))
      (if (i32.ne
            (i32.or
              (i32.load8_u (i32.add (local.get $at) (local.get $i)))
              (i32.load8_u (i32.add (i32.add (local.get $needle) (local.get $len)) (local.get $i))))
            (i32.load8_u (i32.add (local.get $needle) (local.get $i))))
        (then (return (i32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))
    (i32.const 0))

  ;; The first candidate of a 16-byte chunk at $base (one bit per start position in $bits) where
  ;; the needle really occurs, at or before $last; -1 if none.
  (func $confirm (param $base i32) (param $bits i32) (param $last i32) (param $needle i32) (param $len i32) (result i32)
    (local $at i32)
    (block $none
      (loop $next
        (br_if $none (i32.eqz (local.get $bits)))
        (local.set $at (i32.add (local.get $base) (i32.ctz (local.get $bits))))
        (br_if $none (i32.gt_s (local.get $at) (local.get $last)))
        (if (call $holds (local.get $at) (local.get $needle) (local.get $len)) (then (return (local.get $at))))
        (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
        (br $next)))
    (i32.const -1))

  ;; The first position in [p, end - len] where the needle occurs, or -1. $o1 and $o2 are offsets
  ;; in the needle of two of its bytes, chosen rare by the caller so that few positions pass the filter.
  (func (export "find") (param $p i32) (param $end i32) (param $needle i32) (param $len i32) (param $o1 i32) (param $o2 i32) (result i32)
    (local $last i32) (local $found i32) (local $q1 i32) (local $q2 i32)
    (local $b1 v128) (local $m1 v128) (local $b2 v128) (local $m2 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $last (i32.sub (local.get $end) (local.get $len)))
    (local.set $b1 (i8x16.splat (i32.load8_u (i32.add (local.get $needle) (local.get $o1)))))
    (local.set $m1 (i8x16.splat (i32.load8_u (i32.add (i32.add (local.get $needle) (local.get $len)) (local.get $o1)))))
    (local.set $b2 (i8x16.splat (i32.load8_u (i32.add (local.get $needle) (local.get $o2)))))
    (local.set $m2 (i8x16.splat (i32.load8_u (i32.add (i32.add (local.get $needle) (local.get $len)) (local.get $o2)))))
    (block $none
      (loop $chunk
        (br_if $none (i32.gt_s (local.get $p) (local.get $last)))
        ;; 64 start positions a turn, 16 per vector: those whose bytes at +$o1 and +$o2, folded by the
        ;; needle's masks, equal the needle's bytes there. The common case, no candidate, costs one test.
        (local.set $q1 (i32.add (local.get $p) (local.get $o1)))
        (local.set $q2 (i32.add (local.get $p) (local.get $o2)))
        (local.set $c0 (v128.and
          (i8x16.eq (v128.or (v128.load offset=0 (local.get $q1)) (local.get $m1)) (local.get $b1))
          (i8x16.eq (v128.or (v128.load offset=0 (local.get $q2)) (local.get $m2)) (local.get $b2))))
        (local.set $c1 (v128.and
          (i8x16.eq (v128.or (v128.load offset=16 (local.get $q1)) (local.get $m1)) (local.get $b1))
          (i8x16.eq (v128.or (v128.load offset=16 (local.get $q2)) (local.get $m2)) (local.get $b2))))
        (local.set $c2 (v128.and
          (i8x16.eq (v128.or (v128.load offset=32 (local.get $q1)) (local.get $m1)) (local.get $b1))
          (i8x16.eq (v128.or (v128.load offset=32 (local.get $q2)) (local.get $m2)) (local.get $b2))))
        (local.set $c3 (v128.and
          (i8x16.eq (v128.or (v128.load offset=48 (local.get $q1)) (local.get $m1)) (local.get $b1))
          (i8x16.eq (v128.or (v128.load offset=48 (local.get $q2)) (local.get $m2)) (local.get $b2))))
        (if (v128.any_true (v128.or (v128.or (local.get $c0) (local.get $c1)) (v128.or (local.get $c2) (local.get $c3))))
          (then
            (local.set $found (call $confirm (local.get $p) (i8x16.bitmask (local.get $c0)) (local.get $last) (local.get $needle) (local.get $len)))
            (if (i32.ge_s (local.get $found) (i32.const 0)) (then (return (local.get $found))))
            (local.set $found (call $confirm (i32.add (local.get $p) (i32.const 16)) (i8x16.bitmask (local.get $c1)) (local.get $last) (local.get $needle) (local.get $len)))
            (if (i32.ge_s (local.get $found) (i32.const 0)) (then (return (local.get $found))))
            (local.set $found (call $confirm (i32.add (local.get $p) (i32.const 32)) (i8x16.bitmask (local.get $c2)) (local.get $last) (local.get $needle) (local.get $len)))
            (if (i32.ge_s (local.get $found) (i32.const 0)) (then (return (local.get $found))))
            (local.set $found (call $confirm (i32.add (local.get $p) (i32.const 48)) (i8x16.bitmask (local.get $c3)) (local.get $last) (local.get $needle) (local.get $len)))
            (if (i32.ge_s (local.get $found) (i32.const 0)) (then (return (local.get $found))))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (br $chunk)))
    (i32.const -1))
)
