;; matvec.wat: the one hot loop of tinygru.js in WebAssembly with 128-bit SIMD (four float32 lanes).
;; out[i] = b[i] + W[i, :] . x  for i < rows, W row-major (rows, n), n a multiple of 16; pointers are byte offsets
;; into the memory tinygru.js gives it. Four accumulators of four lanes: 16 multiply-adds in flight.
;; Built with wabt: wat2wasm matvec.wat -o matvec.wasm (nbs/09_web.ipynb checks that matvec.wasm is current).
(module
  (import "env" "memory" (memory 1))
  (func (export "matvec") (param $w i32) (param $x i32) (param $b i32) (param $out i32) (param $rows i32) (param $n i32)
    (local $j i32) (local $end i32) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $s v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))  ;; a row's length in bytes
    (loop $row
      (local.set $a0 (v128.const f32x4 0 0 0 0))
      (local.set $a1 (v128.const f32x4 0 0 0 0))
      (local.set $a2 (v128.const f32x4 0 0 0 0))
      (local.set $a3 (v128.const f32x4 0 0 0 0))
      (local.set $j (i32.const 0))
      (loop $col  ;; 16 columns a turn
        (local.set $a0 (f32x4.add (local.get $a0)
          (f32x4.mul (v128.load offset=0 (i32.add (local.get $w) (local.get $j)))
                     (v128.load offset=0 (i32.add (local.get $x) (local.get $j))))))
        (local.set $a1 (f32x4.add (local.get $a1)
          (f32x4.mul (v128.load offset=16 (i32.add (local.get $w) (local.get $j)))
                     (v128.load offset=16 (i32.add (local.get $x) (local.get $j))))))
        (local.set $a2 (f32x4.add (local.get $a2)
          (f32x4.mul (v128.load offset=32 (i32.add (local.get $w) (local.get $j)))
                     (v128.load offset=32 (i32.add (local.get $x) (local.get $j))))))
        (local.set $a3 (f32x4.add (local.get $a3)
          (f32x4.mul (v128.load offset=48 (i32.add (local.get $w) (local.get $j)))
                     (v128.load offset=48 (i32.add (local.get $x) (local.get $j))))))
        (local.set $j (i32.add (local.get $j) (i32.const 64)))
        (br_if $col (i32.lt_u (local.get $j) (local.get $end))))
      (local.set $s (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (f32x4.add (local.get $a2) (local.get $a3))))
      (f32.store (local.get $out)
        (f32.add (f32.load (local.get $b))
          (f32.add (f32.add (f32x4.extract_lane 0 (local.get $s)) (f32x4.extract_lane 1 (local.get $s)))
                   (f32.add (f32x4.extract_lane 2 (local.get $s)) (f32x4.extract_lane 3 (local.get $s))))))
      (local.set $w (i32.add (local.get $w) (local.get $end)))
      (local.set $b (i32.add (local.get $b) (i32.const 4)))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br_if $row (local.get $rows)))))
