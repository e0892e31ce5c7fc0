/**
 * Loaded with the page: binds the results chart's two selects to the URL. Plot and the renderer
 * come with ./results-main when the chart nears the viewport; the table beside it is plain HTML
 * rendered at build time, so the numbers are there without any script.
 */
import { defineWidget } from '~/runtime/widget';
import { resultsParams } from './results-params';

defineWidget({
  tag: 'reproduction-results',
  namespace: 'reproresults',
  params: resultsParams,
  load: () => import('./results-main'),
});
