/**
 * Loaded with the page (a few kB): binds the controls to the URL and waits. The renderers, Plot,
 * d3 and the training worker come with ./main, fetched when the widget nears the viewport.
 */
import { defineWidget } from '~/runtime/widget';
import { params } from './params';

defineWidget({
  tag: 'poisoning-lab',
  namespace: 'poison',
  params,
  load: () => import('./main'),
});
