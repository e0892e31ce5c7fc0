/**
 * The committed results drawn: test accuracy per round for each setting of one partition, the
 * target as a dashed rule. The data comes from the page (rendered from src/data/reproduction.json
 * at build time); the summary sentence says in words what the chart shows.
 */
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import { PARTITION_LABELS, type ReproPartition } from '~/data/reproduction';
import { exportAction, type ExportSpec } from '../kit/export';
import { create as createCurves, curveRows } from './curves-chart';
import { fromPage, type ResultsChartData, type ResultsParams, type ResultsValues } from './results-params';

export function mount(ctx: WidgetContext<ResultsParams>): WidgetController<ResultsParams> {
  const data = fromPage<ResultsChartData | null>(ctx.root.dataset.curves, null);
  const chart = ctx.own(createCurves(ctx.q('[data-view="curves"]')!, { label: '재현 실행의 라운드별 테스트 정확도' }));

  function draw(v: ResultsValues) {
    const series = data?.partitions[v.part] ?? [];
    chart.update({ series, curve: v.curve, target: data?.target ?? null, xMax: data?.cap ?? 100 });
    if (!data) {
      ctx.announce('결과 파일이 없어 그래프를 그리지 못했습니다.', true);
      return;
    }
    const ends = series.map((s) => `${s.label} ${s.round[s.round.length - 1]}라운드에서 ${(100 * (v.curve === 'best' ? s.best : s.accuracy)[s.round.length - 1]).toFixed(1)}%`);
    ctx.announce(`${PARTITION_LABELS[v.part as ReproPartition] ?? v.part} 분할의 그래프를 보고 있습니다. 각 곡선의 끝: ${ends.join(', ')}. 목표는 ${(100 * data.target).toFixed(0)}%입니다.`, true);
  }

  /** The chart of the partition on screen, and every partition's curves as one table. */
  const exports = (): ExportSpec => ({
    prefix: `reproduction-${ctx.values.part}`,
    views: { curves: chart },
    tables: {
      'export-csv': {
        file: 'reproduction-curves',
        columns: ['partition', 'setting', 'lr', 'round', 'test_accuracy', 'best_so_far'],
        rows: () =>
          Object.entries(data?.partitions ?? {}).flatMap(([partition, series]) => series.flatMap((s) => curveRows(s).map((row) => ({ partition, ...row })))),
      },
    },
  });

  draw(ctx.values);

  return {
    update: draw,
    action: (name, trigger) => exportAction(name, trigger, exports(), ctx.notify),
  };
}
