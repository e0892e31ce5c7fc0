/**
 * Loaded with the page: binds the controls to the URL and waits. The renderers, Plot, d3 and the
 * training worker come with ./main when the widget nears the viewport.
 */
import { defineWidget } from '~/runtime/widget';
import { params } from './params';

defineWidget({
  tag: 'dp-fedavg',
  namespace: 'dpfed',
  params,
  load: () => import('./main'),
});
