/**
 * Loaded with the page (a few kB): binds the controls to the URL and waits. The renderers and
 * the training worker come with ./main, fetched when the widget nears the viewport.
 */
import { defineWidget } from '~/runtime/widget';
import { params } from './params';

defineWidget({
  tag: 'weight-averaging',
  namespace: 'avg',
  params,
  load: () => import('./main'),
});
