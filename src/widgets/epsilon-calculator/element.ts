/**
 * Loaded with the page (a few kB): binds the controls to the URL and waits. The accountant and
 * the chart come with ./main when the calculator nears the viewport.
 */
import { defineWidget } from '~/runtime/widget';
import { params } from './params';

defineWidget({
  tag: 'epsilon-calculator',
  namespace: 'eps',
  params,
  load: () => import('./main'),
});
