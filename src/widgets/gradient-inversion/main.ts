/**
 * Gradient inversion, mounted when it nears the viewport. The attack runs in the training worker
 * (src/runtime/attacks.ts; this page imports only attack-config.ts beside it, which is free of
 * tfjs) under the kit's run controller; a pure reducer (./state.ts) folds its events, and this
 * module draws them: originals beside their matched reconstructions, the analytic first-layer
 * recovery, PSNR over the attack's steps, and PSNR against a defence's strength. Drawing is
 * coalesced to one animation frame, so a burst of step events costs one paint.
 */
import type { WidgetContext, WidgetController } from '~/runtime/widget';
import { asWireConfig } from '~/runtime/attack-config';
import type { InversionConfig } from '~/engine/attacks/inversion-config';
import { create as createPixels, type PixelRenderer } from '../renderers/pixels';
import { create as createLineChart } from '../renderers/line-chart';
import { create as createBars } from '../renderers/hbars';
import { Run, type RunInspection } from '../kit/run';
import { dataTable } from '../renderers/data-table';
import { count } from '../renderers/format';
import { pixelSheet } from '../renderers/pixel-sheet';
import { SWEEP_ONLY, type InversionParams } from './params';
import { formatEpsilon, strengthLabel, toInversionConfig, toSweepConfig } from './config';
import { initialInversion, inversionStage, reduceInversion, startSweep, type AttackState, type InversionState, type SweepState } from './state';
import { setText } from '../renderers/outputs';

export interface InversionInspection extends Omit<RunInspection, 'status' | 'config' | 'pace'> {
  mode: 'attack' | 'sweep';
  status: AttackState['status'];
  config: InversionConfig | null;
  step: number;
  psnr: number[];
  meanPsnr: number | null;
  labelAccuracy: number | null;
  analyticPsnr: number | null;
  epsilon: number | null;
  /** Pictures drawn: originals and reconstructions. */
  pictures: number;
  sweep: { status: SweepState['status']; defence: string | null; points: { value: number; meanPsnr: number }[] };
  /** Wall time of the last finished attack in the worker (ms, from started to finished). */
  attackMs: number | null;
}

const db = (p: number) => `${p.toFixed(1)} dB`;

export function mount(ctx: WidgetContext<InversionParams>): WidgetController<InversionParams> & { inspect(): InversionInspection } {
  const { root, q, own } = ctx;
  const pairsBox = q('[data-view="pairs"]')!;
  // The page's empty pair (the default attack has one image): shown again while no attack has
  // started, so the view keeps its height instead of emptying.
  const emptyPair = pairsBox.querySelector('[data-pending]')?.cloneNode(true) ?? null;
  const pairsNote = q('[data-pairs-note]')!;
  const analyticNote = q('[data-analytic-note]')!;
  const sweepNote = q('[data-sweep-note]')!;
  const sweepTable = q('[data-view="sweep-table"]')!;
  const sweepButton = q<HTMLButtonElement>('[data-action="sweep"]')!;

  const analytic = own(createPixels(q('[data-view="analytic"]')!, { cell: 10, maxWidth: 112 }));
  const curve = own(createLineChart(q('[data-view="curve"]')!, {
    label: '공격 스텝에 따른 평균 PSNR',
    xLabel: '공격 스텝',
    yLabel: 'PSNR (dB)',
    series: [{ key: 'psnr', label: '평균 PSNR', color: '#0072b2' }],
    yClimbs: true,
    height: 200,
  }));
  // Hidden in the page too (nothing to show until a sweep is computed): the view does not shrink now.
  const sweepChart = q('[data-view="sweep"]')!;
  sweepChart.hidden = true;
  const bars = own(createBars(sweepChart, { label: '방어 세기에 따른 평균 PSNR', xLabel: '평균 PSNR (dB)', xFormat: (x) => `${x}` }));

  let pictures: { original: PixelRenderer; recon: PixelRenderer; caption: HTMLElement; said?: string }[] = [];
  let frame = 0;
  /**
   * What is drawn of what does not change within an attack (the originals, the analytic image)
   * and of the sweep: a frame redraws only what moved. On the phone profile of the jank bench the
   * attack's frames redrew all of it, 38 ms of script in one frame.
   */
  let drawnAttack: object | null = null;
  let drawnSweep = '';
  let startedAt = 0;
  let attackMs: number | null = null;

  /** S only means something with noise: disabled (and said so) otherwise. */
  function clipState() {
    const input = q<HTMLInputElement>('input[data-param="clip"]');
    if (input) input.disabled = ctx.values.noise === 0;
  }
  clipState();

  function buildPairs() {
    const { attack } = run.state;
    for (const p of pictures) {
      p.original.destroy();
      p.recon.destroy();
    }
    pictures = [];
    drawnAttack = null;
    pairsBox.replaceChildren();
    const s = attack.started;
    if (!s) {
      if (emptyPair) pairsBox.append(emptyPair.cloneNode(true));
      return;
    }
    const b = s.originalLabels.length;
    for (let i = 0; i < b; i++) {
      const fig = document.createElement('figure');
      fig.className = 'gi__pair';
      const imgs = document.createElement('div');
      imgs.className = 'gi__pair-images';
      const o = document.createElement('div');
      const r = document.createElement('div');
      o.className = r.className = 'gi__img';
      imgs.append(o, r);
      const cap = document.createElement('span');
      cap.className = 'gi__said';
      const figcaption = document.createElement('figcaption');
      figcaption.append(cap);
      fig.append(imgs, figcaption);
      pairsBox.append(fig);
      const cell = s.shape[0] > 8 ? 3 : 8;
      pictures.push({ original: createPixels(o, { cell, maxWidth: 84 }), recon: createPixels(r, { cell, maxWidth: 84 }), caption: cap });
    }
  }

  function drawPairs() {
    const { attack } = run.state;
    const s = attack.started;
    if (!s) return;
    const [h, w] = s.shape;
    const px = h * w;
    const last = attack.last;
    const fresh = s !== drawnAttack;
    s.originalLabels.forEach((label, i) => {
      const p = pictures[i];
      if (!p) return;
      if (fresh) p.original.update({ values: s.originals.subarray(i * px, (i + 1) * px), rows: h, cols: w, scale: 'ink', label: `클라이언트의 ${i + 1}번째 이미지(숫자 ${label})` });
      if (last) {
        const r = last.match[i];
        const got = last.labels[r];
        p.recon.update({ values: last.images.subarray(r * px, (r + 1) * px), rows: h, cols: w, scale: 'ink', label: `스텝 ${last.step}에서 서버가 되살린 이미지, PSNR ${db(last.psnr[i])}` });
        const said = `${db(last.psnr[i])} · 레이블 ${got}${got === label ? ' ✓' : ` (정답 ${label})`}`;
        if (p.said === said) return;
        p.said = said;
        const strong = document.createElement('strong');
        strong.textContent = db(last.psnr[i]);
        p.caption.replaceChildren('원본 · 복원 ', strong, ` · 레이블 ${got}${got === label ? ' ✓' : ` (정답 ${label})`}`);
      } else {
        p.said = undefined;
        p.recon.update(null);
        setText(p.caption, `원본(숫자 ${label}) · 복원 준비 중`);
      }
    });
  }

  function drawAnalytic() {
    const { attack } = run.state;
    const s = attack.started;
    if (!s) {
      analytic.update(null);
      return;
    }
    if (s === drawnAttack) return;
    const [h, w] = s.shape;
    analytic.update({ values: s.analytic.image, rows: h, cols: w, scale: 'ink', label: `첫 층 가중치 변화량을 편향 변화량으로 나눠 되살린 이미지, PSNR ${db(s.analytic.psnr)}` });
    const exact = s.analytic.psnr >= 60;
    const b = s.config.batch;
    const why =
      s.analytic.row < 0
        ? '첫 층의 편향 변화량이 모두 0이어서 나눌 수 없습니다.'
        : exact
          ? '이미지 한 장의 기울기에서는 이 나눗셈이 원본을 정확히 돌려줍니다.'
          : b > 1 || s.dummies > 1
            ? '여러 장의 기울기가 더해져 있어, 나눗셈은 이미지들이 섞인 모습을 돌려줍니다.'
            : '방어(노이즈·희소화)나 여러 번의 로컬 스텝 때문에 나눗셈이 정확하지 않습니다.';
    setText(analyticNote, `x = (∂L/∂W_i) ÷ (∂L/∂b_i), 뉴런 i = ${s.analytic.row + 1}: PSNR ${s.analytic.psnr >= 99.95 ? '100 dB 이상(오차 없음)' : db(s.analytic.psnr)}. ${why}`);
  }

  function drawSweep() {
    const { sweep } = run.state;
    const d = sweep.defence;
    const key = `${d}:${sweep.points.length}`;
    if (key === drawnSweep) return;
    drawnSweep = key;
    sweepChart.hidden = !d || sweep.points.length === 0;
    if (!d || sweep.points.length === 0) {
      bars.update({ rows: [], parts: [] });
      sweepTable.replaceChildren();
      return;
    }
    const rows = sweep.points.map((p) => strengthLabel(d, p.value));
    bars.update({
      rows,
      parts: sweep.points.map((p, i) => ({ row: rows[i], part: 'psnr', value: Math.max(0, p.meanPsnr), color: '#0072b2' })),
      totals: Object.fromEntries(sweep.points.map((p, i) => [rows[i], db(p.meanPsnr)])),
    });
    const cells = (p: (typeof sweep.points)[number]) => [db(p.meanPsnr), `${Math.round(p.labelAccuracy * 100)}%`];
    const table = dataTable({
      caption: '방어 세기별 평균 PSNR과 레이블 정확도',
      columns: ['세기', '평균 PSNR', '레이블 정확도'],
      rows: sweep.points.map((p, i) => ({ head: rows[i], cells: cells(p) })),
    });
    sweepTable.replaceChildren(table);
  }

  function draw() {
    frame = 0;
    const { attack } = run.state;
    drawPairs();
    drawAnalytic();
    drawnAttack = attack.started;
    curve.update({ points: attack.history.map((h) => ({ x: h.step, y: h.psnr, series: 'psnr' })), xMax: attack.started?.config.attackSteps ?? ctx.values.steps });
    drawSweep();
  }
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(draw);
  };

  function notes() {
    const { attack } = run.state;
    const s = attack.started;
    if (!s) return;
    const c = s.config;
    const parts: string[] = [];
    if (s.dummies > c.batch) parts.push(`보안 집계로 서버는 ${c.secureAgg}명의 업데이트 합만 받아, 이미지 ${s.dummies}장을 한꺼번에 되살립니다. 위에는 이 클라이언트의 이미지와 가장 닮은 복원만 보입니다. 서버는 어느 복원이 누구의 것인지 모릅니다.`);
    if (c.topk < 1) parts.push(`top-k: 좌표 ${count(s.updateSize)}개 중 ${count(s.sentCoordinates)}개만 보냈습니다.`);
    if (c.noise > 0) parts.push(`노이즈: ‖Δ‖ = ${s.updateNorm.toPrecision(2)}인 업데이트를 S = ${c.clip}로 클리핑하고 표준편차 ${(c.noise * c.clip).toPrecision(2)}인 노이즈를 좌표마다 더했습니다 (이 업데이트 한 번의 ε ≈ ${formatEpsilon(s.epsilon)}, δ = 10⁻⁵).`);
    if (parts.length === 0) parts.push(`방어 없이 보낸 업데이트(‖Δ‖ = ${s.updateNorm.toPrecision(2)})를 그대로 뒤집습니다.`);
    setText(pairsNote, parts.join(' '));
  }

  function summary(): string {
    const { attack, sweep } = run.state;
    const s = attack.started;
    const l = attack.last;
    if (attack.status === 'error') return '공격을 계산하지 못했습니다.';
    if (!s) return '공격을 준비하고 있습니다.';
    const head = `${s.config.dataset === 'mnist' ? 'MNIST' : '손글씨 숫자'} ${s.config.batch}장, 로컬 스텝 ${s.config.localSteps}번`;
    if (!l) return `${head}: 공격을 시작했습니다.`;
    const done = attack.status === 'finished' ? '공격을 마쳤습니다' : `공격 스텝 ${l.step}/${s.config.attackSteps}`;
    const sw =
      sweep.points.length && sweep.defence
        ? ` 방어 세기별 평균 PSNR: ${sweep.points.map((p) => `${strengthLabel(sweep.defence!, p.value)} ${db(p.meanPsnr)}`).join(', ')}.`
        : '';
    return `${head}: ${done}. 이미지별 PSNR ${l.psnr.map(db).join(', ')}(평균 ${db(l.meanPsnr)}), 레이블 정확도 ${Math.round(l.labelAccuracy * 100)}%. 첫 층 나눗셈 복원 PSNR ${db(s.analytic.psnr)}.${sw}`;
  }

  const run: Run<InversionParams, InversionState> = new Run(ctx, {
    config: () => asWireConfig(run.state.mode === 'sweep' ? toSweepConfig(ctx.values) : toInversionConfig(ctx.values)),
    init: initialInversion,
    reduce: reduceInversion,
    stage: inversionStage,
    progress: (s) => {
      const done = s.mode === 'sweep' ? s.sweep.points.length : (s.attack.last?.step ?? 0);
      const total = s.mode === 'sweep' ? s.sweep.of : (s.attack.started?.config.attackSteps ?? ctx.values.steps);
      return { done, total, text: `${s.mode === 'sweep' ? '세기' : '스텝'} ${done} / ${total}` };
    },
    restartLabel: '다시 공격',
    onEvent: (ev) => {
      const { mode, attack, sweep } = run.state;
      const e = ev as unknown as { type: string };
      if (mode === 'attack' && e.type === 'inversion-started' && attack.started) {
        const st = attack.started;
        startedAt = performance.now();
        run.ui.parameters(`공격받는 모델: 은닉층 1개(${st.config.hidden[0]}개), 매개변수 ${count(st.parameters)}개 · 클라이언트가 보내는 값 ${count(st.updateSize)}개`);
        buildPairs();
        notes();
      } else if (mode === 'attack' && e.type === 'inversion-finished') {
        attackMs = performance.now() - startedAt;
        performance.measure('inversion:attack', { start: startedAt, end: performance.now() });
        curve.flush();
      } else if (e.type === 'inversion-sweep-point') {
        setText(sweepNote, `세기 ${sweep.points.length}/${sweep.of}까지 계산했습니다 (점마다 공격 ${sweep.steps}스텝).`);
      } else if (e.type === 'inversion-sweep-finished') {
        sweepButton.disabled = false;
        setText(sweepNote, `같은 이미지를 같은 시드로, 고른 방어만 켜고 세기를 바꿔 가며 공격 ${sweep.steps}스텝씩 돌린 결과입니다. PSNR이 낮을수록 복원이 원본과 다릅니다(대략 15 dB 아래면 알아보기 어렵습니다).`);
        root.dataset.sweep = 'finished';
      } else if (e.type === 'inversion-diverged') sweepButton.disabled = false;
      schedule();
    },
    onReset: () => {
      if (run.state.mode === 'sweep') return;
      attackMs = null;
      setText(pairsNote, '공격을 준비하고 있습니다.');
    },
    summary,
    exports: {
      tables: {
        'export-csv': { file: 'inversion-psnr', columns: ['step', 'mean_psnr_db'], rows: () => run.state.attack.history.map((h) => ({ step: h.step, mean_psnr_db: h.psnr })) },
      },
      json: {
        file: 'inversion',
        value: () => {
          const { attack, sweep } = run.state;
          return {
            widget: 'gradient-inversion',
            settings: ctx.values,
            config: attack.started?.config ?? toInversionConfig(ctx.values),
            psnr: attack.last?.psnr ?? null,
            meanPsnr: attack.last?.meanPsnr ?? null,
            labelAccuracy: attack.last?.labelAccuracy ?? null,
            analyticPsnr: attack.started?.analytic.psnr ?? null,
            epsilon: attack.started?.epsilon ?? null,
            sweep: sweep.points.map((p) => ({ defence: p.defence, value: p.value, meanPsnr: p.meanPsnr, labelAccuracy: p.labelAccuracy })),
            backend: run.backend,
          };
        },
      },
      prefix: 'inversion',
      views: { pairs: pairsSvg, curve, sweep: bars },
    },
  });

  function resetSweep() {
    sweepButton.disabled = false;
    root.dataset.sweep = 'idle';
    setText(sweepNote, '같은 이미지를 같은 시드로, 고른 방어만 켜고 세기를 바꿔 가며 공격합니다. ‘곡선 계산’을 누르면 시작합니다.');
    schedule();
  }

  /** A new attack: the sweep starts over too. */
  function newAttack(debounced: boolean) {
    resetSweep();
    run.start(debounced, initialInversion());
  }

  /** The sweep runs after the attack on the same worker; the attack's pictures stay. */
  function sweepNow() {
    const sc = toSweepConfig(ctx.values);
    // If an attack was still running, it is cancelled; what it had drawn stays on screen.
    run.start(false, startSweep(run.state, sc.defence, sc.base.attackSteps, sc.values?.length ?? 0));
    run.setStatus('running');
    sweepButton.disabled = true;
    root.dataset.sweep = 'running';
    setText(sweepNote, `계산하고 있습니다 (세기 ${run.state.sweep.of}가지, 점마다 공격 ${run.state.sweep.steps}스텝).`);
  }

  /** Each original over its reconstruction, the pairs side by side. */
  function pairsSvg(): string | null {
    const svgs = [...pairsBox.querySelectorAll<SVGSVGElement>('svg')];
    return pixelSheet(svgs.flatMap((_, i) => (i % 2 ? [] : [{ pictures: svgs.slice(i, i + 2) }])));
  }

  resetSweep();
  run.start(false);

  return run.controller<InversionInspection>({
    update: (_values, changed) => {
      clipState();
      if (!changed.every((k) => SWEEP_ONLY.includes(k))) {
        resetSweep();
        return;
      }
      // Only the sweep's defence changed: the attack stays; a sweep under way stops.
      if (run.state.mode === 'sweep' && run.state.sweep.status === 'running') run.stop('finished');
      resetSweep();
      return 'skip';
    },
    action: (name) => {
      if (name === 'restart') newAttack(false);
      else if (name === 'sweep') sweepNow();
      else return false;
      return true;
    },
    destroy: () => {
      if (frame) cancelAnimationFrame(frame);
      for (const p of pictures) {
        p.original.destroy();
        p.recon.destroy();
      }
    },
    inspect: () => {
      const { mode, attack, sweep } = run.state;
      const l = attack.last;
      return {
        runId: run.runId(),
        mode,
        status: attack.status,
        config: attack.started?.config ?? null,
        step: l?.step ?? 0,
        psnr: l?.psnr ?? [],
        meanPsnr: l?.meanPsnr ?? null,
        labelAccuracy: l?.labelAccuracy ?? null,
        analyticPsnr: attack.started?.analytic.psnr ?? null,
        epsilon: attack.started?.epsilon ?? null,
        pictures: pairsBox.querySelectorAll('svg').length,
        sweep: { status: sweep.status, defence: sweep.defence, points: sweep.points.map((p) => ({ value: p.value, meanPsnr: p.meanPsnr })) },
        attackMs,
        backend: run.backend,
      };
    },
  });
}
