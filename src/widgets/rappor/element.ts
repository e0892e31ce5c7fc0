/**
 * Loaded with the page: binds the controls to the URL and waits. The RAPPOR simulation and the
 * renderers come with ./main when the widget nears the viewport.
 */
import { defineWidget } from '~/runtime/widget';
import { params } from './params';

defineWidget({
  tag: 'rappor-widget',
  namespace: 'rappor',
  params,
  load: () => import('./main'),
});
