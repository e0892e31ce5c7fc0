/**
 * The respondents as a grid of squares (d3, SVG): fill = the answer given; with `reveal`, a dot
 * for people whose true answer is "yes" and a blue frame where the coin (or a lie) decided the
 * answer. Colours are written as attributes, not CSS, so an exported SVG looks the same.
 */
import { RrPath, type RrSurvey } from '~/engine/privacy/randomized-response';
import { picture, pictureSvg, type Picture } from '../renderers/picture';

/** The survey's people (a frame where the answer did not simply follow the truth: coin or lie). */
export interface PeopleGridData extends Pick<RrSurvey, 'truth' | 'answer' | 'path'> {
  /** How many people to draw (the first `count`). */
  count: number;
  /** Show what the surveyor cannot see. */
  reveal: boolean;
}

/** The colours of the legend (randomized-response.css uses the same values). */
export const GRID_COLORS = { yes: '#d55e00', no: '#aab2bd', truth: '#111827', coin: '#0072b2' } as const;

export function create(el: HTMLElement, options: { label: string }): Picture<PeopleGridData> {
  /** Squares per row. */
  const columns = 20;
  const cell = 14;
  const gap = 2;
  const svg = pictureSvg(el, 'rr-grid', options.label);
  const g = svg.append('g');

  function draw(data: PeopleGridData) {
    const count = Math.min(data.count, data.answer.length);
    const rows = Math.max(1, Math.ceil(count / columns));
    const width = columns * (cell + gap) + gap;
    const height = rows * (cell + gap) + gap;
    svg.attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height);
    // A few hundred people: written as one piece of markup, which the browser parses in one go,
    // instead of one DOM call per attribute through d3's join (the widget's mount, this grid
    // included, was about 20 ms of script on a desktop). A square each, and a dot only where one
    // shows: with a group and a hidden dot per person, 400 people were 1,200 elements, and their
    // style and layout were a task of 106 ms on the phone profile of the jank bench.
    const parts: string[] = [];
    for (let i = 0; i < count; i++) {
      const x = gap + (i % columns) * (cell + gap);
      const y = gap + Math.floor(i / columns) * (cell + gap);
      const fill = data.answer[i] ? GRID_COLORS.yes : GRID_COLORS.no;
      const stroke = data.reveal && data.path[i] !== RrPath.Truth ? GRID_COLORS.coin : 'none';
      parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" rx="2" fill="${fill}" stroke="${stroke}" stroke-width="2.2"></rect>`);
      if (data.reveal && data.truth[i]) {
        parts.push(`<circle cx="${x + cell / 2}" cy="${y + cell / 2}" r="2.6" fill="${GRID_COLORS.truth}" stroke="#ffffff" stroke-width="0.8"></circle>`);
      }
    }
    g.node()!.innerHTML = parts.join('');
  }

  return picture(svg, draw);
}
