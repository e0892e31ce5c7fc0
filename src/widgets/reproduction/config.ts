/**
 * From the live widget's settings to the runs of the race: FedSGD first (the baseline every
 * speed-up divides), then each FedAvg setting the reader ticked. Imports only the engine's config
 * module and plain data, so it can run on the page.
 *
 * The browser version is the paper's experiment made small: the MNIST subset served with the site
 * (10,000 training and 2,000 test images) instead of 70,000 images, K clients holding 10,000/K
 * examples each instead of 100 × 600, and C = 0.1 as in the paper.
 */
import type { RunConfig } from '~/engine/types';
import { PARTITION_LABELS, defaultLr, reproductionConfig, settingId, settingLabel, tidyLr } from '~/data/reproduction';
import { clientsPerRound } from '~/engine/selection';
import type { ReproPartition, ReproSetting, ReproductionReport } from '~/data/reproduction';
import { FEDAVG_SETTINGS, type ReproValues } from './params';

/** η the full-size run chose, by partition and setting id (what the page passes to the widget). */
export type ChosenLrs = Partial<Record<ReproPartition, Record<string, number>>>;

/** The chosen η of a results file, small enough for a data attribute. */
export function chosenLrs(report: ReproductionReport | null): ChosenLrs {
  const out: ChosenLrs = {};
  for (const r of report?.results ?? []) (out[r.partition] ??= {})[r.setting] = r.lr;
  return out;
}

/** C, as in the paper. */
export const FRACTION = 0.1;

/** One run of the race: a setting of the paper's table with its label, and η (the setting's own, times the reader's multiplier). */
export type RaceEntry = Pick<ReproSetting, 'id' | 'algorithm' | 'localEpochs' | 'batchSize'> & { label: string; lr: number };

/**
 * η per setting: the one the full-size run (`npm run reproduce`) chose for this partition, when
 * it ran that setting, else the centre of its grid.
 */
export function baseLr(chosen: ChosenLrs, partition: ReproPartition, algorithm: 'fedsgd' | 'fedavg', localEpochs: number, batchSize: number | 'all'): number {
  const lr = chosen[partition]?.[settingId(algorithm, localEpochs, batchSize)];
  return typeof lr === 'number' && lr > 0 && lr <= 10 ? lr : defaultLr(algorithm, batchSize);
}

export function race(v: ReproValues, chosen: ChosenLrs): RaceEntry[] {
  const entries: RaceEntry[] = [];
  const add = (algorithm: 'fedsgd' | 'fedavg', localEpochs: number, batchSize: number | 'all') => {
    const b = baseLr(chosen, v.partition, algorithm, localEpochs, batchSize);
    const id = settingId(algorithm, localEpochs, batchSize);
    entries.push({ id, label: settingLabel({ algorithm, localEpochs, batchSize }), algorithm, localEpochs, batchSize, lr: tidyLr(b * v.lrScale) });
  };
  add('fedsgd', 1, 'all');
  for (const s of FEDAVG_SETTINGS) if (v[s.key]) add('fedavg', s.localEpochs, s.batchSize);
  return entries;
}

export function toRunConfig(entry: RaceEntry, v: ReproValues): RunConfig {
  return reproductionConfig({ ...entry, partition: v.partition, clients: v.clients, fraction: FRACTION, shardsPerClient: 2, rounds: v.rounds, seed: v.seed });
}

/** The race table's columns, and its caption for the race's settings (the page writes it for the defaults). */
export const TABLE_COLUMNS = ['설정', '학습률 η', '목표까지', 'FedSGD 대비', '최고 정확도'];
export const tableCaption = (v: Pick<ReproValues, 'partition' | 'clients' | 'target'>): string =>
  `${PARTITION_LABELS[v.partition]}, 클라이언트 ${v.clients}명(라운드마다 ${clientsPerRound(FRACTION, v.clients)}명), 목표 ${v.target}%`;
