/**
 * Gradient inversion benchmarks (Node, wasm backend):
 *
 * - inversion-digit-ms / inversion-mnist-ms: wall time of one reconstruction of one image from
 *   its FedSGD gradient (the default attack: MLP [32] sigmoid, 300 Adam steps, labels inferred),
 *   data loading excluded, median of three; the PSNR reached is in the detail.
 * - inversion-step-vs-gradient: what one attack step costs against one gradient computation of
 *   the client on the same batch (the engine's hand-written backward pass), timed alternately:
 *   the attack step runs the gradient with differentiable ops and then differentiates it again.
 *
 * The worker's figures for the same reconstructions are in the widgets suite.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BenchResult, BenchSuite } from '../bench';
import { initNodeBackend, nodeDataSource } from '../../src/engine/node';
import { defaultInversionConfig, mlpGradient, runInversion, type InversionConfig } from '../../src/engine/attacks/inversion';
import { buildModel } from '../../src/engine/model';
import { Rng } from '../../src/engine/rng';
import { batchGradients } from '../../src/engine/train';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function reconstruct(config: InversionConfig, data: ReturnType<typeof nodeDataSource>): Promise<{ ms: number; psnr: number }> {
  let t0 = 0;
  let psnr = Number.NaN;
  for await (const e of runInversion(config, { data, every: config.attackSteps })) {
    if (e.type === 'inversion-started') t0 = performance.now();
    if (e.type === 'inversion-finished') psnr = e.meanPsnr;
  }
  return { ms: performance.now() - t0, psnr };
}

async function reconstructionTime(dataset: 'digits' | 'mnist', log: (l: string) => void): Promise<BenchResult> {
  const data = nodeDataSource({ mnistFull: false });
  const config = defaultInversionConfig({ dataset, batch: 1, seed: 1 });
  await reconstruct({ ...config, attackSteps: 5 }, data); // loads the data, warms the kernels
  const runs: { ms: number; psnr: number }[] = [];
  for (let i = 0; i < 3; i++) runs.push(await reconstruct(config, data));
  const ms = median(runs.map((r) => r.ms));
  log(`  ${dataset}: ${runs.map((r) => r.ms.toFixed(0)).join(', ')} ms for ${config.attackSteps} steps; PSNR ${runs[0].psnr.toFixed(1)} dB`);
  return {
    name: `inversion-${dataset === 'digits' ? 'digit' : 'mnist'}-ms`,
    ratio: ms,
    detail: `ms, one ${dataset === 'digits' ? '8×8 digit' : '28×28 MNIST image'} reconstructed from its FedSGD gradient (MLP [32] sigmoid, ${config.attackSteps} Adam steps, b = 1), median of 3 (${runs.map((r) => r.ms.toFixed(0)).join(', ')}); PSNR ${runs[0].psnr.toFixed(1)} dB`,
  };
}

/** One attack step (objective, its gradient, Adam) against one client gradient, alternately. */
async function stepVsGradient(log: (l: string) => void): Promise<BenchResult> {
  const model = buildModel({ kind: 'mlp', hidden: [32], activation: 'sigmoid' }, [8, 8, 1], 10);
  const rng = new Rng(1, 'bench');
  const params = model.importParams(model.initParams(rng));
  const x = tf.tensor2d(new Float32Array(64).map(() => rng.next()), [1, 64]);
  const y = tf.cast(tf.oneHot(tf.tensor1d([3], 'int32'), 10), 'float32') as tf.Tensor2D;
  const target = tf.tidy(() => batchGradients(model, params, x, y, tf.scalar(1)).grads);
  const gradientOnce = async () => {
    const g = tf.tidy(() => batchGradients(model, params, x, y, tf.scalar(1)).grads);
    await g[0].data();
    tf.dispose(g);
  };
  const attackOnce = async () => {
    const g = tf.tidy(() =>
      tf.grad((d: tf.Tensor) => {
        const sim = mlpGradient(d as tf.Tensor2D, y, params, 'sigmoid');
        const dot = tf.addN(sim.map((s, i) => tf.sum(tf.mul(s, target[i]))));
        const norm = tf.sqrt(tf.addN(sim.map((s) => tf.sum(tf.square(s)))));
        return tf.sub(1, tf.div(dot, norm)) as tf.Scalar;
      })(x),
    );
    await g.data();
    g.dispose();
  };
  const reps = 200;
  const time = async (f: () => Promise<void>) => {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await f();
    return (performance.now() - t0) / reps;
  };
  await time(gradientOnce);
  await time(attackOnce);
  const g: number[] = [];
  const a: number[] = [];
  for (let i = 0; i < 5; i++) {
    g.push(await time(gradientOnce));
    a.push(await time(attackOnce));
  }
  tf.dispose([...params, x, y, ...target]);
  const ratio = median(a) / median(g);
  log(`  one attack step ${median(a).toFixed(3)} ms, one client gradient ${median(g).toFixed(3)} ms`);
  return {
    name: 'inversion-step-vs-gradient',
    ratio,
    detail: `one attack step (cosine objective and its gradient with respect to the image, through the gradient) over one client gradient (hand-written backward), digits, MLP [32] sigmoid, b = 1; medians of 5 × ${reps}, alternating (${median(a).toFixed(3)} ms vs ${median(g).toFixed(3)} ms)`,
  };
}

const suite: BenchSuite = {
  title: 'Gradient inversion (Node, wasm)',
  async run(log) {
    await initNodeBackend('wasm');
    return [await reconstructionTime('digits', log), await reconstructionTime('mnist', log), await stepVsGradient(log)];
  },
};

export default suite;
