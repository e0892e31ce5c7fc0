import * as tf from '@tensorflow/tfjs-core';
import { initNodeBackend, nodeDataSource } from '../src/engine/node';
import { buildModel, loadDigits, loadMnist, partition, Rng, training } from '../src/engine/index';
import { trainGroup } from '../src/engine/vectorized';
await initNodeBackend('wasm');
const which = process.argv[2];
const K = Number(process.argv[3]);
const ds = which === 'mnist' ? await loadMnist(nodeDataSource()) : await loadDigits(nodeDataSource());
const nTrain = which === 'mnist' ? 6000 : ds.train.n;
const idx0 = Int32Array.from({ length: nTrain }, (_, i) => i);
const labels = Int32Array.from(idx0, (i) => ds.train.labels[i]);
const part = partition({ kind: 'iid', alpha: 1, shardsPerClient: 2 }, labels, 10, K, new Rng(1, 'partition'));
const d = ds.inputSize;
const model = buildModel(which === 'mnist' ? { kind: '2nn', hidden: [], activation: 'relu' } : { kind: 'mlp', hidden: [64, 64], activation: 'relu' }, ds.inputShape, 10);
const sets = part.clients.map((idx) => new training.ExampleSet(ds.train.features(idx), Int32Array.from(idx, (i) => labels[i]), d, 10));
const params = model.importParams(model.initParams(new Rng(1, 'init')));
const tick = async () => {};
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
for (let rep = 0; rep < 2; rep++) {
  let c0 = cpu();
  const res = await trainGroup(model, params, sets.map((dd, k) => ({ data: dd, epochs: 1, shuffle: new Rng(1, 'shuffle/' + k) })), { batch: 10, lr: 0.1, tick });
  const vec = cpu() - c0; res.forEach((r) => tf.dispose(r.params));
  c0 = cpu();
  for (let k = 0; k < K; k++) { const r = await training.localTrain(model, params, sets[k], { epochs: 1, batch: 10, lr: 0.1, shuffle: new Rng(1, 'shuffle/' + k), tick }); tf.dispose(r.params); }
  const seq = cpu() - c0;
  console.log(`cpu ms: vec ${vec.toFixed(0)} seq ${seq.toFixed(0)}`);
}
const info = await tf.profile(async () => {
  const res = await trainGroup(model, params, sets.map((dd, k) => ({ data: dd, epochs: 1, shuffle: new Rng(1, 'shuffle/' + k) })), { batch: 10, lr: 0.1, tick });
  res.forEach((r) => tf.dispose(r.params));
});
const agg = new Map<string, { n: number; ms: number }>();
for (const k of info.kernels) { const a = agg.get(k.name) ?? { n: 0, ms: 0 }; a.n++; a.ms += (await k.kernelTimeMs) as number; agg.set(k.name, a); }
console.log([...agg.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14).map(([k, v]) => `${k} ${v.n} ${v.ms.toFixed(1)}ms`).join('\n'));
