/**
 * Loaded with the page (a few kB): binds the controls to the URL and waits. The simulation,
 * the renderers, Plot and d3 come with ./main when the widget nears the viewport.
 */
import { defineWidget } from '~/runtime/widget';
import { params } from './params';

defineWidget({
  tag: 'randomized-response',
  namespace: 'rr',
  params,
  load: () => import('./main'),
});
