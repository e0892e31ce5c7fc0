/**
 * "What the server sees", mounted when it nears the viewport: trains the model in the worker,
 * receives the engine's server-view event (every cut, one test example per digit) and draws the
 * chosen digit and cut from it. Changing the digit or the cut only redraws; changing the model
 * trains again. Nothing is computed here but the layout of the pictures.
 */
import type { WidgetContext } from '~/runtime/widget';
import { create as createPixels, squareUp } from '../renderers/pixels';
import { updateTiles } from '../renderers/update-tiles';
import { create as createCutError } from '../renderers/cut-error';
import { dataTable, putTable } from '../renderers/data-table';
import { count, pct } from '../renderers/format';
import { pixelSheet } from '../renderers/pixel-sheet';
import { Run } from '../kit/run';
import { runJson } from '../kit/export';
import type { ServerViewParams } from './params';
import { cutRange } from '~/engine/split/cut';
import { LEAKAGE_CAPTION, LEAKAGE_COLUMNS, modelOf, toRunConfig } from './config';
import { reduceView, type ViewState } from './state';
import { putChildren, setText } from '../renderers/outputs';

/** What tests read. */
export type ServerViewInspection = ReturnType<ReturnType<typeof mount>['inspect']>;

/** What is drawn now: digit, cut, the example's error at that cut, values per picture. */
interface Shown { digit: number; cut: number; error: number; rawValues: number; updateValues: number; smashedValues: number; reconValues: number }

export function mount(ctx: WidgetContext<ServerViewParams>) {
  const { root, q, own } = ctx;
  const statusNote = q('[data-status-note]')!;
  const cutInput = q<HTMLInputElement>('input[data-param="cut"]')!;
  const note = (key: string) => q(`[data-panel-note="${key}"]`);
  const tableBox = q('[data-view="leakage-table"]')!;
  // The page's empty table (a row per cut of the default model): shown again while a model
  // trains, so the view keeps its height instead of losing the table until the decoders are fitted.
  const emptyTable = tableBox.querySelector('table')?.cloneNode(true) ?? null;

  const pictures = {
    raw: own(createPixels(q('[data-view="raw"]')!, { cell: 14, maxWidth: 140 })),
    update: own(createPixels(q('[data-view="update"]')!, { cell: 4, maxWidth: 160 })),
    smashed: own(createPixels(q('[data-view="smashed"]')!, { cell: 14, maxWidth: 140 })),
    recon: own(createPixels(q('[data-view="recon"]')!, { cell: 14, maxWidth: 140 })),
  };
  const chart = own(createCutError(q('[data-view="leakage"]')!, { label: '분할 지점별 선형 디코더의 상대 복원 오차' }));

  let shown: Shown | null = null;

  /**
   * Fits the controls to the model: the MLP's layer settings mean nothing for the CNN (its layers
   * are fixed), so they are disabled then; the cut stays inside the model's range (a notice says
   * why when it had to move).
   */
  function fitToModel() {
    const mlpOnly = root.querySelectorAll<HTMLInputElement>('input[data-param="layers"], input[data-param="units"]');
    for (const input of mlpOnly) input.disabled = ctx.values.model === 'cnn';
    const { min, max } = cutRange(modelOf(ctx.values), 'vanilla');
    cutInput.max = String(max);
    cutInput.setAttribute('aria-valuemax', String(max));
    const to = Math.min(max, Math.max(min, ctx.values.cut));
    if (to === ctx.values.cut) return;
    ctx.notify(`이 모델에서 분할 지점은 ${min}부터 ${max}번째 층 뒤까지입니다. 분할 지점을 ${to}(으)로 옮겼습니다.`);
    ctx.set('cut', to);
  }
  fitToModel();

  const run: Run<ServerViewParams, ViewState> = new Run(ctx, {
    unit: '에폭',
    config: () => toRunConfig(ctx.values),
    // What the reducer reads (the per-batch smashed data and gradients stay in the worker).
    options: () => ({ serverView: {}, events: ['round-metrics', 'server-view'] }),
    init: (): ViewState => ({ parameters: 0, accuracy: null, view: null }),
    reduce: reduceView,
    divergedHint: '다른 시드나 설정으로 다시 학습해 보세요.',
    onReset: () => {
      shown = null;
      root.dataset.viewReady = 'false';
    },
    onEvent: (e) => {
      const { accuracy } = run.state;
      const config = run.config();
      if (e.type === 'run-started') {
        run.ui.parameters(`모델 매개변수 ${count(e.parameters)}개 · 손글씨 숫자 학습 데이터 ${count(e.data.trainSize)}개`);
        setText(statusNote, `모델을 학습하고 있습니다 (에폭 0/${e.config.epochs}).`);
        draw();
      } else if (e.type === 'round-metrics' && accuracy !== null) {
        const done = e.metrics.round >= (config?.epochs ?? 0);
        statusNote.textContent = done
          ? `학습을 마쳤습니다(테스트 정확도 ${pct(accuracy)}). 분할 지점마다 선형 디코더를 맞추고 있습니다…`
          : `모델을 학습하고 있습니다 (에폭 ${e.metrics.round}/${config?.epochs}, 테스트 정확도 ${pct(accuracy)}).`;
      } else if (e.type === 'server-view') {
        setText(statusNote, `학습을 마친 모델(테스트 정확도 ${accuracy !== null ? pct(accuracy) : '?%'})로 계산했습니다. 디코더는 학습 데이터로 맞추고, 그림의 예제는 학습에 쓰지 않은 테스트 데이터입니다.`);
        draw();
      }
    },
    onEnd: () => (root.dataset.viewReady = String(run.state.view !== null)),
    summary,
    exports: {
      tables: {
        'export-csv': {
          file: 'serverview-leakage',
          columns: ['cut', 'width', 'reconstruction_error', 'mse', 'ridge', 'features_used'],
          rows: () =>
            (run.state.view?.leakage ?? []).map((l) => ({ cut: l.cut, width: l.width, reconstruction_error: l.reconstructionError, mse: l.mse, ridge: l.ridge, features_used: l.featuresUsed })),
        },
      },
      json: runJson('serverview-config', 'server-view', () => ctx.values, () => run.backend, () => ({
        config: run.config() ?? toRunConfig(ctx.values),
        parameters: run.state.parameters,
        testAccuracy: run.state.accuracy,
        leakage: run.state.view?.leakage ?? null,
      })),
      prefix: 'serverview',
      views: { panels: panelsSvg, leakage: chart },
    },
  });

  function draw() {
    const v = ctx.values;
    const view = run.state.view;
    if (!view) {
      for (const p of Object.values(pictures)) p.update(null);
      chart.update({ points: [], selected: null });
      putChildren(tableBox, ...(emptyTable ? [emptyTable.cloneNode(true)] : []));
      return;
    }
    const rows = view.leakage.map((l) => ({
      head: `${l.cut}번째 층 뒤${l.cut === v.cut ? ' (선택)' : ''}`,
      className: l.cut === v.cut ? 'is-selected' : undefined,
      cells: [count(l.width) + (l.featuresUsed < l.width ? ` (${count(l.featuresUsed)}개 사용)` : ''), l.reconstructionError.toFixed(3), l.mse.toFixed(4)],
    }));
    putTable(tableBox, dataTable({ caption: LEAKAGE_CAPTION, columns: LEAKAGE_COLUMNS, rows }));
    chart.update({ points: view.leakage.map((l) => ({ cut: l.cut, width: l.width, error: l.reconstructionError })), selected: v.cut });
    const digit = Number(v.digit);
    const ex = view.examples.find((e) => e.label === digit) ?? view.examples[0];
    if (!ex) return;
    const [h, w] = view.inputShape.length === 3 ? view.inputShape : [1, view.inputShape[0]];
    pictures.raw.update({ values: ex.input, rows: h, cols: w, scale: 'ink', label: `숫자 ${ex.label}의 원본 이미지 ${h}×${w}` });
    setText(note('raw')!, `픽셀 ${count(ex.input.length)}개와 레이블(${ex.label})이 그대로 서버로 갑니다.`);

    const tiles = updateTiles(view, ex.update);
    if (tiles) {
      pictures.update.update({ ...tiles.image, scale: 'diverging', label: `숫자 ${ex.label} 하나로 한 번 학습했을 때 첫 층 매개변수의 변화량, 뉴런 ${tiles.tiles}개` });
      const unit = v.model === 'cnn' ? '합성곱 필터 하나의 커널' : '뉴런 하나로 들어가는 가중치';
      setText(note('update')!, `이 예제 하나로 한 걸음 학습한 클라이언트가 보내는 변화량 ${count(ex.update.length)}개 중 첫 층의 것입니다(타일 하나가 ${unit}, 주황 +, 파랑 −).`);
    }

    const at = ex.cuts.find((c) => c.cut === v.cut) ?? ex.cuts[0];
    if (at) {
      const img = squareUp(at.smashed, at.shape.length === 3 ? at.shape : undefined);
      const tanh = v.act === 'tanh';
      pictures.smashed.update({ ...img, scale: tanh ? 'diverging' : 'magnitude', label: `분할 지점 ${at.cut}의 스매시드 데이터, 값 ${at.smashed.length}개` });
      setText(q('[data-panel-sub="smashed"]')!, `분할 지점 ${at.cut}의 스매시드 데이터`);
      note('smashed')!.textContent =
        at.shape.length === 3
          ? `${at.shape.join('×')} = 값 ${count(at.smashed.length)}개(채널마다 ${at.shape[0]}×${at.shape[1]} 타일 하나).`
          : `값 ${count(at.smashed.length)}개(${img.rows}×${img.cols}로 배치, 진할수록 ${tanh ? '절댓값이 ' : ''}큼).`;
      pictures.recon.update({ values: at.reconstruction, rows: h, cols: w, scale: 'ink', label: `분할 지점 ${at.cut}의 스매시드 데이터로 선형 디코더가 복원한 숫자 ${ex.label}의 이미지` });
      setText(note('recon')!, `이 예제의 상대 복원 오차 ${at.error.toFixed(2)} (0이 완벽한 복원).`);
      shown = { digit: ex.label, cut: at.cut, error: at.error, rawValues: ex.input.length, updateValues: ex.update.length, smashedValues: at.smashed.length, reconValues: at.reconstruction.length };
    }
    ctx.announce(summary());
  }

  function summary(): string {
    const v = ctx.values;
    const model = v.model === 'cnn' ? '합성곱 신경망' : `은닉층 ${v.layers}개(${v.units}개씩) 신경망`;
    if (run.status === 'error') return `${model}: 계산하지 못했습니다.`;
    const { view, accuracy } = run.state;
    if (!view) return `${model}을(를) ${v.epochs}에폭 학습하고 서버가 받는 것을 계산하고 있습니다.`;
    const l = view.leakage.find((x) => x.cut === v.cut);
    const all = view.leakage.map((x) => `${x.cut}번째 층 뒤 ${x.reconstructionError.toFixed(2)}`).join(', ');
    const acc = accuracy !== null ? `테스트 정확도 ${pct(accuracy)}인 ` : '';
    return `${acc}${model}, 숫자 ${v.digit}, 분할 지점 ${v.cut}번째 층 뒤: 스매시드 데이터 ${l ? count(l.width) : '?'}개 값에서 선형 디코더가 복원한 이미지의 상대 오차는 ${shown?.error?.toFixed(2) ?? '?'}입니다(테스트 예제 전체로는 ${l?.reconstructionError.toFixed(2) ?? '?'}). 분할 지점별 전체 오차: ${all}.`;
  }

  function panelsSvg(): string | null {
    // The four pictures side by side with their titles, as one file.
    const titles = ['원본 (중앙 집중식)', '변화량 (연합 학습)', `스매시드 데이터 (분할 지점 ${ctx.values.cut})`, '선형 디코더의 복원'];
    const boxes = (['raw', 'update', 'smashed', 'recon'] as const).map((k) => root.querySelector<SVGSVGElement>(`[data-view="${k}"] svg`));
    if (boxes.some((b) => !b)) return null;
    return pixelSheet(boxes.map((b, i) => ({ pictures: [b!], title: titles[i] })), { gap: 20, minWidth: 130 });
  }

  run.start(false);

  return run.controller({
    update(_values, changed) {
      // A model with fewer layers may move the cut (a nested, view-only update draws it).
      fitToModel();
      if (changed.every((k) => k === 'digit' || k === 'cut')) draw();
    },
    inspect: () => ({ ...run.inspectBase(), accuracy: run.state.accuracy, leakage: run.state.view?.leakage ?? [], shown }),
  });
}
