/**
 * The survey's table headings and the people note, as plain text: RandomizedResponse.astro
 * writes them for the default survey, so the section is at its height before the widget mounts,
 * and ./main.ts writes them for the reader's settings.
 */
import { count } from '../renderers/format';

export const TABLE_COLUMNS = ['참값 \\ 응답', '"예"', '"아니요"', '합계'];
/** The rows' heads: truly yes, truly no, and what the surveyor sees. */
export const TABLE_ROWS = ['실제로 "예"', '실제로 "아니요"', '합계 (조사자가 보는 것)'] as const;
export const tableCaption = (n: number) => `응답자 ${count(n)}명을 참값과 응답으로 나눈 수`;
/** Under the people grid, which draws at most `drawn` of the `n` respondents. */
export const peopleNote = (n: number, drawn: number) =>
  n > drawn ? `응답자 ${count(n)}명 가운데 처음 ${drawn}명만 그렸습니다. 숫자는 모두를 센 것입니다.` : `응답자 ${n}명을 모두 그렸습니다.`;
