/**
 * Loaded with the page (a few kB): binds the controls to the URL and waits. The renderers and
 * the two training workers come with ./main, when the widget nears the viewport.
 */
import { defineWidget } from '~/runtime/widget';
import { params } from './params';

defineWidget({
  tag: 'personalization-lab',
  namespace: 'pers',
  params,
  load: () => import('./main'),
});
