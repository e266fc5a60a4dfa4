;; The per-line work of summarize_log for the common line "<ISO time> LEVEL [component] message",
;; on raw bytes, so that a block of ASCII lines is read without a string per line. For each line
;; it follows, step by step, the TypeScript that defines the result: TimestampParser's ISO
;; shortcut (timestamps.ts), findLevelAfter's level word (levels.ts), commonMessageStart
;; (minerHeader.ts) and skeletonHash (minerTokens.ts). Whatever those would not decide by their
;; shortcut makes the line's status 0, and the caller reads that line as a string the usual way;
;; test/unit/tools/lineFields.test.ts holds the two equal line by line. Assembled by
;; `npm run build:wasm` into lineFieldsWasm.ts; lineFields.ts is the only user.
;;
;; Memory is the caller's: bytes 0-255 hold 1 for each delimiter byte of the skeleton hash (the
;; rest 0); records and the block of lines lie where the caller says.
(module
  (import "env" "memory" (memory 1))

  ;; A record per line, 64 bytes:
  ;;   0 line start   4 line end (a CR before the newline excluded)   8 next line's start   12 status (1: decided here)
  ;;  16 timestamp index (from the line start)   20 timestamp length   24 yyyymmdd   28 ms of the day, zone applied
  ;;  32-39 unused   40 level end (past a ']' after the word)   44 message start
  ;;  48 level word key (f64: base 27, as levels.ts computes it)   56 hash lane 1   60 hash lane 2
  ;; (offsets 16-47 and 56-63 are from the line's start or meaningful only when status is 1)

  ;; The byte at $i, or -1 at or past $end (as charCodeAt reads NaN past a string's end).
  (func $at (param $i i32) (param $end i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $i) (local.get $end))
      (then (i32.load8_u (local.get $i)))
      (else (i32.const -1))))

  (func $isDigit (param $c i32) (result i32)
    (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10)))

  ;; Two decimal digits at $i as a number, or -1 (timestamps.ts twoDigits).
  (func $twoDigits (param $i i32) (param $end i32) (result i32)
    (local $a i32) (local $b i32)
    (local.set $a (i32.sub (call $at (local.get $i) (local.get $end)) (i32.const 48)))
    (local.set $b (i32.sub (call $at (i32.add (local.get $i) (i32.const 1)) (local.get $end)) (i32.const 48)))
    (if (result i32) (i32.and (i32.lt_u (local.get $a) (i32.const 10)) (i32.lt_u (local.get $b) (i32.const 10)))
      (then (i32.add (i32.mul (local.get $a) (i32.const 10)) (local.get $b)))
      (else (i32.const -1))))

  ;; zoneEndsAt: neither a digit nor ':' at $i.
  (func $zoneEndsAt (param $i i32) (param $end i32) (result i32)
    (local $c i32)
    (local.set $c (call $at (local.get $i) (local.get $end)))
    (i32.and (i32.eqz (call $isDigit (local.get $c))) (i32.ne (local.get $c) (i32.const 58))))

  (global $zoneOffset (mut i32) (i32.const 0))

  ;; zoneAt: the zone's length at $i (0 for none); its offset in minutes goes to $zoneOffset.
  (func $zoneAt (param $i i32) (param $end i32) (result i32)
    (local $c i32) (local $hours i32) (local $colon i32) (local $minutes i32)
    (local.set $c (call $at (local.get $i) (local.get $end)))
    (if (i32.eq (local.get $c) (i32.const 90))
      (then
        (global.set $zoneOffset (i32.const 0))
        (return (call $zoneEndsAt (i32.add (local.get $i) (i32.const 1)) (local.get $end)))))
    (if (i32.and (i32.ne (local.get $c) (i32.const 43)) (i32.ne (local.get $c) (i32.const 45))) (then (return (i32.const 0))))
    (local.set $hours (call $twoDigits (i32.add (local.get $i) (i32.const 1)) (local.get $end)))
    (if (i32.lt_s (local.get $hours) (i32.const 0)) (then (return (i32.const 0))))
    (local.set $colon (i32.eq (call $at (i32.add (local.get $i) (i32.const 3)) (local.get $end)) (i32.const 58)))
    (local.set $minutes (call $twoDigits (i32.add (i32.add (local.get $i) (i32.const 3)) (local.get $colon)) (local.get $end)))
    (if (i32.or (i32.lt_s (local.get $minutes) (i32.const 0))
                (i32.eqz (call $zoneEndsAt (i32.add (i32.add (local.get $i) (i32.const 5)) (local.get $colon)) (local.get $end))))
      (then (return (i32.const 0))))
    (global.set $zoneOffset
      (i32.mul (select (i32.const -1) (i32.const 1) (i32.eq (local.get $c) (i32.const 45)))
               (i32.add (i32.mul (local.get $hours) (i32.const 60)) (local.get $minutes))))
    (i32.add (i32.const 5) (local.get $colon)))

  ;; The ISO shortcut (TimestampParser.isoShortcut) on the line [$s, $end); 0 when it decides
  ;; nothing, else 1 with the fields in the record at $r.
  (func $iso (param $s i32) (param $end i32) (param $r i32) (result i32)
    (local $scan i32) (local $p i32) (local $century i32) (local $yy i32) (local $month i32) (local $day i32)
    (local $hour i32) (local $minute i32) (local $second i32) (local $sep i32) (local $e i32) (local $ms i32)
    (local $digits i32) (local $mark i32) (local $zone i32) (local $offset i32) (local $a i32) (local $b i32)
    ;; The first digit within 64 characters.
    (local.set $scan (select (i32.sub (local.get $end) (local.get $s)) (i32.const 64) (i32.lt_u (i32.sub (local.get $end) (local.get $s)) (i32.const 64))))
    (local.set $p (local.get $s))
    (block $found
      (loop $look
        (br_if $found (i32.ge_u (i32.sub (local.get $p) (local.get $s)) (local.get $scan)))
        (br_if $found (i32.lt_u (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)) (i32.const 10)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $look)))
    (if (i32.gt_u (i32.add (local.get $p) (i32.const 19)) (local.get $end)) (then (return (i32.const 0))))
    ;; The seven two-digit fields lie within the line (p + 19 <= end): read without bounds checks, a bad digit flagged.
    (local.set $a (i32.sub (i32.load8_u offset=0 (local.get $p)) (i32.const 48)))
    (local.set $b (i32.sub (i32.load8_u offset=1 (local.get $p)) (i32.const 48)))
    (local.set $century (select (i32.add (i32.mul (local.get $a) (i32.const 10)) (local.get $b)) (i32.const 100) (i32.and (i32.lt_u (local.get $a) (i32.const 10)) (i32.lt_u (local.get $b) (i32.const 10)))))
    (local.set $a (i32.sub (i32.load8_u offset=2 (local.get $p)) (i32.const 48)))
    (local.set $b (i32.sub (i32.load8_u offset=3 (local.get $p)) (i32.const 48)))
    (local.set $yy (select (i32.add (i32.mul (local.get $a) (i32.const 10)) (local.get $b)) (i32.const 100) (i32.and (i32.lt_u (local.get $a) (i32.const 10)) (i32.lt_u (local.get $b) (i32.const 10)))))
    (local.set $a (i32.sub (i32.load8_u offset=5 (local.get $p)) (i32.const 48)))
    (local.set $b (i32.sub (i32.load8_u offset=6 (local.get $p)) (i32.const 48)))
    (local.set $month (select (i32.add (i32.mul (local.get $a) (i32.const 10)) (local.get $b)) (i32.const 100) (i32.and (i32.lt_u (local.get $a) (i32.const 10)) (i32.lt_u (local.get $b) (i32.const 10)))))
    (local.set $a (i32.sub (i32.load8_u offset=8 (local.get $p)) (i32.const 48)))
    (local.set $b (i32.sub (i32.load8_u offset=9 (local.get $p)) (i32.const 48)))
    (local.set $day (select (i32.add (i32.mul (local.get $a) (i32.const 10)) (local.get $b)) (i32.const 100) (i32.and (i32.lt_u (local.get $a) (i32.const 10)) (i32.lt_u (local.get $b) (i32.const 10)))))
    (local.set $a (i32.sub (i32.load8_u offset=11 (local.get $p)) (i32.const 48)))
    (local.set $b (i32.sub (i32.load8_u offset=12 (local.get $p)) (i32.const 48)))
    (local.set $hour (select (i32.add (i32.mul (local.get $a) (i32.const 10)) (local.get $b)) (i32.const 100) (i32.and (i32.lt_u (local.get $a) (i32.const 10)) (i32.lt_u (local.get $b) (i32.const 10)))))
    (local.set $a (i32.sub (i32.load8_u offset=14 (local.get $p)) (i32.const 48)))
    (local.set $b (i32.sub (i32.load8_u offset=15 (local.get $p)) (i32.const 48)))
    (local.set $minute (select (i32.add (i32.mul (local.get $a) (i32.const 10)) (local.get $b)) (i32.const 100) (i32.and (i32.lt_u (local.get $a) (i32.const 10)) (i32.lt_u (local.get $b) (i32.const 10)))))
    (local.set $a (i32.sub (i32.load8_u offset=17 (local.get $p)) (i32.const 48)))
    (local.set $b (i32.sub (i32.load8_u offset=18 (local.get $p)) (i32.const 48)))
    (local.set $second (select (i32.add (i32.mul (local.get $a) (i32.const 10)) (local.get $b)) (i32.const 100) (i32.and (i32.lt_u (local.get $a) (i32.const 10)) (i32.lt_u (local.get $b) (i32.const 10)))))
    (local.set $sep (i32.load8_u offset=10 (local.get $p)))
    ;; A non-digit reads as 100 or more: out of every range below, as -1 is in timestamps.ts.
    (if (i32.or
          (i32.or (i32.gt_u (local.get $century) (i32.const 99)) (i32.gt_u (local.get $yy) (i32.const 99)))
          (i32.or
            (i32.or (i32.ne (i32.load8_u offset=4 (local.get $p)) (i32.const 45)) (i32.ne (i32.load8_u offset=7 (local.get $p)) (i32.const 45)))
            (i32.or
              (i32.and (i32.ne (local.get $sep) (i32.const 84)) (i32.ne (local.get $sep) (i32.const 32)))
              (i32.or (i32.ne (i32.load8_u offset=13 (local.get $p)) (i32.const 58)) (i32.ne (i32.load8_u offset=16 (local.get $p)) (i32.const 58))))))
      (then (return (i32.const 0))))
    ;; The bounds of toMs.
    (if (i32.or
          (i32.or (i32.gt_u (i32.sub (local.get $month) (i32.const 1)) (i32.const 11)) (i32.gt_u (i32.sub (local.get $day) (i32.const 1)) (i32.const 30)))
          (i32.or (i32.gt_u (local.get $hour) (i32.const 23))
                  (i32.or (i32.gt_u (local.get $minute) (i32.const 59)) (i32.gt_u (local.get $second) (i32.const 60)))))
      (then (return (i32.const 0))))
    (local.set $e (i32.add (local.get $p) (i32.const 19)))
    ;; A fraction after '.' or ',': up to 9 digits, the first 3 are milliseconds.
    (local.set $mark (select (i32.load8_u (local.get $e)) (i32.const -1) (i32.lt_u (local.get $e) (local.get $end))))
    (if (i32.and (i32.or (i32.eq (local.get $mark) (i32.const 46)) (i32.eq (local.get $mark) (i32.const 44)))
                 (i32.and (i32.lt_u (i32.add (local.get $e) (i32.const 1)) (local.get $end))
                          (i32.lt_u (i32.sub (i32.load8_u offset=1 (local.get $e)) (i32.const 48)) (i32.const 10))))
      (then
        (local.set $e (i32.add (local.get $e) (i32.const 1)))
        (block $done
          (loop $fraction
            (br_if $done (i32.ge_u (local.get $digits) (i32.const 9)))
            (br_if $done (i32.ge_u (local.get $e) (local.get $end)))
            (br_if $done (i32.ge_u (i32.sub (i32.load8_u (local.get $e)) (i32.const 48)) (i32.const 10)))
            (if (i32.lt_u (local.get $digits) (i32.const 3))
              (then (local.set $ms (i32.add (i32.mul (local.get $ms) (i32.const 10)) (i32.sub (i32.load8_u (local.get $e)) (i32.const 48))))))
            (local.set $e (i32.add (local.get $e) (i32.const 1)))
            (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
            (br $fraction)))
        (if (i32.lt_u (local.get $digits) (i32.const 3))
          (then (local.set $ms (i32.mul (local.get $ms) (select (i32.const 100) (i32.const 10) (i32.eq (local.get $digits) (i32.const 1)))))))))
    ;; The zone, right there or after one white space (ASCII: the caller sends ASCII lines only).
    ;; "Z" then neither a digit nor ':' (the common case, read here), else zoneAt.
    (local.set $mark (select (i32.load8_u (local.get $e)) (i32.const -1) (i32.lt_u (local.get $e) (local.get $end))))
    (local.set $zone
      (if (result i32) (i32.eq (local.get $mark) (i32.const 90))
        (then (global.set $zoneOffset (i32.const 0)) (call $zoneEndsAt (i32.add (local.get $e) (i32.const 1)) (local.get $end)))
        (else (call $zoneAt (local.get $e) (local.get $end)))))
    (if (i32.eqz (local.get $zone))
      (then
        (local.set $mark (call $at (local.get $e) (local.get $end)))
        (if (i32.or (i32.eq (local.get $mark) (i32.const 32)) (i32.lt_u (i32.sub (local.get $mark) (i32.const 9)) (i32.const 5)))
          (then
            (local.set $zone (call $zoneAt (i32.add (local.get $e) (i32.const 1)) (local.get $end)))
            (if (local.get $zone) (then (local.set $zone (i32.add (local.get $zone) (i32.const 1)))))))))
    (local.set $offset (select (global.get $zoneOffset) (i32.const 0) (i32.gt_s (local.get $zone) (i32.const 0))))
    (local.set $e (i32.add (local.get $e) (local.get $zone)))
    (i32.store offset=16 (local.get $r) (i32.sub (local.get $p) (local.get $s)))
    (i32.store offset=20 (local.get $r) (i32.sub (local.get $e) (local.get $p)))
    (i32.store offset=24 (local.get $r)
      (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $century) (i32.const 100)) (local.get $yy)) (i32.const 100)) (local.get $month)) (i32.const 100)) (local.get $day)))
    (i32.store offset=28 (local.get $r)
      (i32.add
        (i32.mul
          (i32.add (i32.mul (i32.sub (i32.add (i32.mul (local.get $hour) (i32.const 60)) (local.get $minute)) (local.get $offset)) (i32.const 60)) (local.get $second))
          (i32.const 1000))
        (local.get $ms)))
    (i32.const 1))

  ;; The level word after the timestamp (findLevelAfter's first step); 0 when it is not one it takes.
  ;; Past the line's end reads as -1 (charCodeAt's NaN), here written out: calls are not inlined.
  (func $levelWord (param $i i32) (param $end i32) (param $r i32) (result i32)
    (local $j i32) (local $c i32) (local $key f64) (local $after i32)
    (block $skipped
      (loop $skip
        (br_if $skipped (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $i)))
        (br_if $skipped (i32.eqz (i32.or (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 91))) (i32.eq (local.get $c) (i32.const 9)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $skip)))
    (local.set $j (local.get $i))
    (block $word
      (loop $letters
        (br_if $word (i32.ge_u (local.get $j) (local.get $end)))
        (br_if $word (i32.ge_u (i32.sub (local.get $j) (local.get $i)) (i32.const 12)))
        (local.set $c (i32.or (i32.load8_u (local.get $j)) (i32.const 0x20)))
        (br_if $word (i32.gt_u (i32.sub (local.get $c) (i32.const 97)) (i32.const 25)))
        (local.set $key (f64.add (f64.mul (local.get $key) (f64.const 27)) (f64.convert_i32_u (i32.sub (local.get $c) (i32.const 96)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $letters)))
    (local.set $after (select (i32.load8_u (local.get $j)) (i32.const -1) (i32.lt_u (local.get $j) (local.get $end))))
    ;; levels.ts WORD_KEY_LETTERS: 11
    (if (i32.or (i32.or (i32.le_u (local.get $j) (local.get $i)) (i32.gt_u (i32.sub (local.get $j) (local.get $i)) (i32.const 11)))
                (i32.eqz (i32.or (i32.or (i32.eq (local.get $after) (i32.const -1)) (i32.eq (local.get $after) (i32.const 32)))
                                 (i32.or (i32.or (i32.eq (local.get $after) (i32.const 93)) (i32.eq (local.get $after) (i32.const 58))) (i32.eq (local.get $after) (i32.const 9))))))
      (then (return (i32.const 0))))
    (i32.store offset=40 (local.get $r) (i32.add (local.get $j) (i32.eq (local.get $after) (i32.const 93))))
    (f64.store offset=48 (local.get $r) (local.get $key))
    (i32.const 1))

  ;; minerHeader.ts commonMessageStart on [$s, $end), the timestamp ending at $afterTime and the
  ;; level at $levelEnd (absolute positions); the message start, or -1. Past the line's end reads
  ;; as -1 (charCodeAt's NaN), written out at each read.
  (func $messageStart (param $s i32) (param $end i32) (param $afterTime i32) (param $levelEnd i32) (result i32)
    (local $i i32) (local $c i32) (local $open i32) (local $word i32) (local $next i32)
    (if (i32.or (i32.or (i32.le_u (local.get $levelEnd) (local.get $afterTime)) (i32.ge_u (local.get $levelEnd) (local.get $end)))
                (i32.eq (i32.load8_u (local.get $s)) (i32.const 0x7b)))
      (then (return (i32.const -1))))
    (local.set $i (local.get $afterTime))
    (block $clear
      (loop $colons
        (br_if $clear (i32.ge_u (local.get $i) (local.get $levelEnd)))
        (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x3a)) (then (return (i32.const -1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $colons)))
    ;; [\s\]),:]* on ASCII ($levelEnd < $end: the first read is within the line).
    (local.set $i (local.get $levelEnd))
    (block $past
      (loop $spaces
        (br_if $past (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $i)))
        (br_if $past (i32.eqz (i32.or (i32.or (i32.or (i32.eq (local.get $c) (i32.const 0x20)) (i32.eq (local.get $c) (i32.const 0x09)))
                                                (i32.or (i32.eq (local.get $c) (i32.const 0x5d)) (i32.eq (local.get $c) (i32.const 0x29))))
                                      (i32.or (i32.eq (local.get $c) (i32.const 0x2c)) (i32.eq (local.get $c) (i32.const 0x3a))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $spaces)))
    (if (i32.and (i32.lt_u (local.get $i) (local.get $end)) (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x5b)))
      (then
        (local.set $open (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (block $closed
          (loop $inside
            (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const -1))))
            (local.set $c (i32.load8_u (local.get $i)))
            (br_if $closed (i32.eq (local.get $c) (i32.const 0x5d)))
            (if (i32.or (i32.eq (local.get $c) (i32.const 0x5b)) (i32.gt_u (i32.sub (local.get $i) (local.get $open)) (i32.const 300)))
              (then (return (i32.const -1))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $inside)))
        ;; Past ']': at least one blank, then all of them.
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const -1))))
        (local.set $c (i32.load8_u (local.get $i)))
        (if (i32.and (i32.ne (local.get $c) (i32.const 0x20)) (i32.ne (local.get $c) (i32.const 0x09))) (then (return (i32.const -1))))
        (block $blank
          (loop $blanks
            (br_if $blank (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $c (i32.load8_u (local.get $i)))
            (br_if $blank (i32.and (i32.ne (local.get $c) (i32.const 0x20)) (i32.ne (local.get $c) (i32.const 0x09))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $blanks)))))
    ;; The first word: [A-Za-z][a-z]*, then neither [\w$.-] nor two blanks.
    (local.set $word (local.get $i))
    (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const -1))))
    (if (i32.gt_u (i32.sub (i32.or (i32.load8_u (local.get $i)) (i32.const 32)) (i32.const 97)) (i32.const 25)) (then (return (i32.const -1))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (block $lowerDone
      (loop $lower
        (br_if $lowerDone (i32.ge_u (local.get $i) (local.get $end)))
        (br_if $lowerDone (i32.gt_u (i32.sub (i32.load8_u (local.get $i)) (i32.const 97)) (i32.const 25)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $lower)))
    (if (i32.eq (local.get $i) (local.get $end)) (then (return (local.get $word))))
    (local.set $c (i32.load8_u (local.get $i)))
    (if (i32.or
          (i32.or (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10)) (i32.lt_u (i32.sub (i32.or (local.get $c) (i32.const 32)) (i32.const 97)) (i32.const 26)))
          (i32.or (i32.or (i32.eq (local.get $c) (i32.const 0x5f)) (i32.eq (local.get $c) (i32.const 0x24)))
                  (i32.or (i32.eq (local.get $c) (i32.const 0x2d)) (i32.eq (local.get $c) (i32.const 0x2e)))))
      (then (return (i32.const -1))))
    (if (i32.eq (local.get $c) (i32.const 0x20))
      (then
        (if (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $end)) (then (return (i32.const -1))))
        (local.set $next (i32.load8_u offset=1 (local.get $i)))
        (if (i32.or (i32.eq (local.get $next) (i32.const 0x20)) (i32.eq (local.get $next) (i32.const 0x09))) (then (return (i32.const -1))))))
    (if (i32.lt_u (i32.sub (local.get $c) (i32.const 0x09)) (i32.const 5)) (then (return (i32.const -1))))
    (local.get $word))

  ;; minerTokens.ts skeletonHash over [$p, $end): lanes 1 and 2 into the record at $r. Per byte one
  ;; branch: the class table (256-511: 1 delimiter, 2 digit, 3 capital, 0 anything else) and the
  ;; stretch's state moved by the transition table (512-547), as the caller fills them. States:
  ;; 0-2 no digit yet after 0, 1, 2+ capitals; 3 no digit yet, not a name; 4-7 a numbered name
  ;; (2+ capitals) with 1, 2, 3, 4+ digits; 8 a value. States 7 and 8 make the stretch a wildcard.
  (func $skeleton (param $p i32) (param $end i32) (param $r i32)
    (local $h1 i32) (local $h2 i32) (local $t i32) (local $u i32) (local $state i32) (local $c i32) (local $class i32) (local $value i32)
    (local.set $h1 (i32.const 0x811c9dc5))
    (local.set $h2 (i32.const 0x9747b28c))
    ;; Each lane's stretch hash starts at its basis (minerTokens.ts STRETCH_BASIS_1, STRETCH_BASIS_2).
    (local.set $t (i32.const 0x9e3779b9))
    (local.set $u (i32.const 0x811c9dc5))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $p)))
        (local.set $class (i32.load8_u offset=256 (local.get $c)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (if (i32.eq (local.get $class) (i32.const 1))
          (then
            ;; A stretch that is a value mixes in as the marker 1, a kept one as its own hashes; then the delimiter.
            (local.set $value (i32.ge_u (local.get $state) (i32.const 7)))
            (local.set $h1 (i32.mul (i32.xor (local.get $h1) (i32.xor (select (i32.const 1) (local.get $t) (local.get $value)) (i32.shl (local.get $c) (i32.const 15)))) (i32.const 0x01000193)))
            (local.set $h2 (i32.xor (i32.mul (i32.xor (local.get $h2) (i32.xor (select (i32.const 1) (local.get $u) (local.get $value)) (i32.shl (local.get $c) (i32.const 15)))) (i32.const 0x5bd1e995))
                                    (i32.shr_u (local.get $h2) (i32.const 15))))
            (local.set $t (i32.const 0x9e3779b9))
            (local.set $u (i32.const 0x811c9dc5))
            (local.set $state (i32.const 0))
            (br $next)))
        (local.set $t (i32.mul (i32.xor (local.get $t) (local.get $c)) (i32.const 0x85ebca6b)))
        (local.set $u (i32.mul (i32.xor (local.get $u) (local.get $c)) (i32.const 0x01000193)))
        (local.set $state (i32.load8_u offset=512 (i32.add (i32.shl (local.get $state) (i32.const 2)) (local.get $class))))
        (br $next)))
    (local.set $value (i32.ge_u (local.get $state) (i32.const 7)))
    (i32.store offset=56 (local.get $r) (i32.mul (i32.xor (local.get $h1) (select (i32.const 1) (local.get $t) (local.get $value))) (i32.const 0x01000193)))
    (i32.store offset=60 (local.get $r)
      (i32.xor (i32.mul (i32.xor (local.get $h2) (select (i32.const 1) (local.get $u) (local.get $value))) (i32.const 0x5bd1e995)) (i32.shr_u (local.get $h2) (i32.const 15)))))

  ;; Records for the whole lines in [$from, $end) ($end just past a newline), at most $max of them,
  ;; written from $records on. Returns how many were written.
  (func (export "lines") (param $from i32) (param $end i32) (param $records i32) (param $max i32) (result i32)
    (local $n i32) (local $r i32) (local $s i32) (local $nl i32) (local $e i32) (local $start i32) (local $mask i32)
    (local.set $s (local.get $from))
    (local.set $r (local.get $records))
    (block $full
      (loop $line
        (br_if $full (i32.ge_u (local.get $s) (local.get $end)))
        (br_if $full (i32.ge_u (local.get $n) (local.get $max)))
        ;; The newline, 16 bytes at a time (the caller leaves 16 bytes of slack after the block).
        (local.set $nl (local.get $s))
        (block $found
          (loop $seek
            (local.set $mask (i8x16.bitmask (i8x16.eq (v128.load (local.get $nl)) (i8x16.splat (i32.const 10)))))
            (if (local.get $mask)
              (then
                (local.set $nl (i32.add (local.get $nl) (i32.ctz (local.get $mask))))
                (br $found)))
            (local.set $nl (i32.add (local.get $nl) (i32.const 16)))
            (br_if $seek (i32.lt_u (local.get $nl) (local.get $end)))))
        (if (i32.gt_u (local.get $nl) (local.get $end)) (then (local.set $nl (local.get $end))))
        (local.set $e (local.get $nl))
        (if (i32.and (i32.gt_u (local.get $nl) (local.get $s)) (i32.eq (i32.load8_u (i32.sub (local.get $nl) (i32.const 1))) (i32.const 13)))
          (then (local.set $e (i32.sub (local.get $nl) (i32.const 1)))))
        (i32.store offset=0 (local.get $r) (local.get $s))
        (i32.store offset=4 (local.get $r) (local.get $e))
        (i32.store offset=8 (local.get $r) (i32.add (local.get $nl) (i32.const 1)))
        (i32.store offset=12 (local.get $r) (i32.const 0))
        (block $decided
          (br_if $decided (i32.eqz (call $iso (local.get $s) (local.get $e) (local.get $r))))
          (br_if $decided (i32.eqz (call $levelWord (i32.add (local.get $s) (i32.add (i32.load offset=16 (local.get $r)) (i32.load offset=20 (local.get $r)))) (local.get $e) (local.get $r))))
          (local.set $start (call $messageStart (local.get $s) (local.get $e)
            (i32.add (local.get $s) (i32.add (i32.load offset=16 (local.get $r)) (i32.load offset=20 (local.get $r))))
            (i32.load offset=40 (local.get $r))))
          (br_if $decided (i32.lt_s (local.get $start) (i32.const 0)))
          (call $skeleton (local.get $start) (local.get $e) (local.get $r))
          ;; Positions as offsets from the line's start, as the string functions give them.
          (i32.store offset=40 (local.get $r) (i32.sub (i32.load offset=40 (local.get $r)) (local.get $s)))
          (i32.store offset=44 (local.get $r) (i32.sub (local.get $start) (local.get $s)))
          (i32.store offset=12 (local.get $r) (i32.const 1)))
        (local.set $s (i32.add (local.get $nl) (i32.const 1)))
        (local.set $r (i32.add (local.get $r) (i32.const 64)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $line)))
    (local.get $n))
)
