/**
 * Direct kernel calls for the hot path.
 *
 * The public fused ops (tf.fused.matMul, tf.fused.conv2d) wrap their kernel in tf.customGrad so
 * that the gradient tape can differentiate them; that wrapper costs about five times the kernel
 * itself on small matrices (≈50 µs against ≈10 µs for a 10×64·64×64 product on wasm). The engine
 * computes its gradients by hand (model.ts), so it calls the kernels directly, through their
 * documented kernel names and attributes (tfjs-core kernel_names.ts). Both the wasm and the cpu
 * backend implement them.
 */
import * as tf from '@tensorflow/tfjs-core';

export type Fused = 'relu' | 'linear';

/**
 * op(a)·op(b) (+ bias, then ReLU) for 2D a and b; op = transpose when asked. The kernel wants
 * rank-3 operands, so the matrices travel as a batch of one (reshape shares the data).
 */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D, transposeA = false, transposeB = false, bias?: tf.Tensor1D, activation: Fused = 'linear'): tf.Tensor2D {
  const m = transposeA ? a.shape[1] : a.shape[0];
  const n = transposeB ? b.shape[0] : b.shape[1];
  const a3 = tf.reshape(a, [1, a.shape[0], a.shape[1]]);
  const b3 = tf.reshape(b, [1, b.shape[0], b.shape[1]]);
  const inputs: tf.NamedTensorMap = bias ? { a: a3, b: b3, bias } : { a: a3, b: b3 };
  const attrs = { transposeA, transposeB, activation };
  const y = tf.engine().runKernel(tf._FusedMatMul, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor3D;
  return tf.reshape(y, [m, n]);
}

/** Stride-1 'same' convolution (NHWC, filter HWIO) with bias and optional ReLU in one kernel. */
export function conv2dSame(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, activation: Fused): tf.Tensor4D {
  const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined, activation };
  return tf.engine().runKernel(tf.FusedConv2D, { x, filter, bias }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}
