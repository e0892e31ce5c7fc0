/**
 * Loaded with the page (a few kB): binds the sliders to the URL and waits. The charts, the
 * formulas and the measuring worker come with ./main, fetched when the widget nears the viewport.
 */
import { defineWidget } from '~/runtime/widget';
import { params } from './params';

defineWidget({
  tag: 'comm-cost',
  namespace: 'comm',
  params,
  load: () => import('./main'),
});
