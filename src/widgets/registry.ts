/**
 * Every widget of the book in one list: its name (the `/embed/<name>/` page), custom-element
 * tag, URL namespace, parameter table, and the page and figure it belongs to.
 *
 * Pure data, no DOM and no tfjs: the build reads it (preset validation in MDX, the embed pages),
 * the unit tests read it, and nothing here reaches a page's first script except through the
 * parameter tables the widgets already load.
 */
import type { ParamTable } from '~/runtime/url-state';
import { params as central } from './central-playground/params';
import { params as drift } from './client-drift/params';
import { params as pers } from './personalization/params';
import { params as comm } from './comm-cost/params';
import { params as dpfed } from './dp-fedavg/params';
import { params as fed } from './fed-playground/params';
import { params as inversion } from './gradient-inversion/params';
import { params as versus } from './fedsgd-vs-fedavg/params';
import { params as rr } from './randomized-response/params';
import { params as rappor } from './rappor/params';
import { params as repro } from './reproduction/params';
import { resultsParams as reproresults } from './reproduction/results-params';
import { params as secagg } from './secure-aggregation/params';
import { params as serverview } from './server-view/params';
import { params as split } from './split-playground/params';
import { params as threeway } from './three-way/params';
import { params as avg } from './weight-averaging/params';
import { params as poison } from './poisoning/params';
import { params as eps } from './epsilon-calculator/params';
import { params as owndata } from './own-data/params';

export interface WidgetEntry {
  /** Path segment of the widget's embed page, `/embed/<name>/`; the same as the tag. */
  name: string;
  /** The custom element's tag. */
  tag: string;
  /** URL namespace (`?<namespace>.<key>=…`); also what `<Presets for="…">` names in MDX. */
  namespace: string;
  params: ParamTable;
  /** Root-relative path of the page the widget appears on. */
  page: string;
  /** The id of its figure on that page (the embed page links back to `page#figure`). */
  figure: string;
  /** Short Korean title, for the embed page's <title> and heading. */
  title: string;
}

export const WIDGETS: readonly WidgetEntry[] = [
  { name: 'central-playground', tag: 'central-playground', namespace: 'central', params: central, page: '/chapters/centralized/', figure: 'central-playground', title: '중앙 집중식 학습 실험' },
  { name: 'fed-playground', tag: 'fed-playground', namespace: 'fed', params: fed, page: '/chapters/federated/', figure: 'fed-playground', title: '연합 학습 실험' },
  { name: 'weight-averaging', tag: 'weight-averaging', namespace: 'avg', params: avg, page: '/chapters/federated/', figure: 'weight-averaging', title: '가중 평균을 눈으로 보기' },
  { name: 'fedsgd-vs-fedavg', tag: 'fedsgd-vs-fedavg', namespace: 'versus', params: versus, page: '/chapters/federated/', figure: 'fedsgd-vs-fedavg', title: 'FedSGD와 FedAvg 비교' },
  { name: 'client-drift', tag: 'client-drift', namespace: 'drift', params: drift, page: '/chapters/federated/', figure: 'client-drift', title: '클라이언트 드리프트' },
  { name: 'personalization', tag: 'personalization-lab', namespace: 'pers', params: pers, page: '/chapters/federated/', figure: 'personalization', title: '개인화: 미세 조정 전후' },
  { name: 'split-playground', tag: 'split-playground', namespace: 'split', params: split, page: '/chapters/split/', figure: 'split-playground', title: '분할 학습 실험' },
  { name: 'server-view', tag: 'server-view', namespace: 'serverview', params: serverview, page: '/chapters/split/', figure: 'server-view', title: '서버는 무엇을 받는가' },
  { name: 'comm-cost', tag: 'comm-cost', namespace: 'comm', params: comm, page: '/chapters/comparison/', figure: 'comm-cost', title: '통신량과 교차점' },
  { name: 'three-way', tag: 'three-way', namespace: 'threeway', params: threeway, page: '/chapters/comparison/', figure: 'three-way', title: '네 방식 나란히 학습하기' },
  { name: 'own-data', tag: 'own-data', namespace: 'owndata', params: owndata, page: '/chapters/comparison/', figure: 'own-data', title: '내 CSV 파일로 세 방식 비교하기' },
  { name: 'gradient-inversion', tag: 'gradient-inversion', namespace: 'inversion', params: inversion, page: '/chapters/attacks/', figure: 'gradient-inversion', title: '기울기 역전 공격' },
  { name: 'poisoning', tag: 'poisoning-lab', namespace: 'poison', params: poison, page: '/chapters/attacks/', figure: 'poisoning', title: '오염 공격과 집계 규칙' },
  { name: 'randomized-response', tag: 'randomized-response', namespace: 'rr', params: rr, page: '/chapters/privacy/', figure: 'randomized-response', title: '무작위 응답' },
  { name: 'rappor-widget', tag: 'rappor-widget', namespace: 'rappor', params: rappor, page: '/chapters/privacy/', figure: 'rappor', title: 'RAPPOR' },
  { name: 'dp-fedavg', tag: 'dp-fedavg', namespace: 'dpfed', params: dpfed, page: '/chapters/privacy/', figure: 'dp-fedavg', title: 'DP-FedAvg' },
  { name: 'epsilon-calculator', tag: 'epsilon-calculator', namespace: 'eps', params: eps, page: '/chapters/privacy/', figure: 'epsilon-calculator', title: '프라이버시 예산 계산기' },
  { name: 'secure-aggregation', tag: 'secure-aggregation', namespace: 'secagg', params: secagg, page: '/chapters/privacy/', figure: 'secure-aggregation', title: '보안 집계' },
  { name: 'reproduction-results', tag: 'reproduction-results', namespace: 'reproresults', params: reproresults, page: '/reproduction/', figure: 'reproduction-results', title: '재현 실행의 정확도 곡선' },
  { name: 'reproduction-live', tag: 'reproduction-live', namespace: 'repro', params: repro, page: '/reproduction/', figure: 'reproduction-live', title: 'FedSGD와 FedAvg, 브라우저에서 다시 재기' },
];

/** The entry for a namespace, or undefined. */
export function widgetByNamespace(namespace: string): WidgetEntry | undefined {
  return WIDGETS.find((w) => w.namespace === namespace);
}
