/**
 * Loaded with the page (a few kB): binds the reproduction's two widgets' controls to the URL and
 * waits. What draws and trains comes when a widget nears the viewport: with ./main, the live
 * rerun's Plot, results data and training worker; with ./results-main, the results chart's Plot
 * and renderer (the table beside that chart is plain HTML rendered at build time, so its numbers
 * are there without any script).
 */
import { defineWidget } from '~/runtime/widget';
import { params } from './params';
import { resultsParams } from './results-params';

defineWidget({
  tag: 'reproduction-live',
  namespace: 'repro',
  params,
  load: () => import('./main'),
});

defineWidget({
  tag: 'reproduction-results',
  namespace: 'reproresults',
  params: resultsParams,
  load: () => import('./results-main'),
});
