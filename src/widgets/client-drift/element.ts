/**
 * Loaded with the page (a few kB): binds the controls to the URL and waits. The renderers and
 * the two training workers come with ./main, when the widget nears the viewport.
 */
import { defineWidget } from '~/runtime/widget';
import { params } from './params';

defineWidget({
  tag: 'client-drift',
  namespace: 'drift',
  params,
  load: () => import('./main'),
});
