/**
 * Loaded with the page (a few kB): binds the live reproduction's controls to the URL and waits.
 * Plot, the results data and the training worker come with ./main when the widget nears the
 * viewport.
 */
import { defineWidget } from '~/runtime/widget';
import { params } from './params';

defineWidget({
  tag: 'reproduction-live',
  namespace: 'repro',
  params,
  load: () => import('./main'),
});
