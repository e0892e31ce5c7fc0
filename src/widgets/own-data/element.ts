/** Loaded with the page: binds the controls to the URL; ./main comes when the figure is near. */
import { defineWidget } from '~/runtime/widget';
import { params } from './params';

defineWidget({ tag: 'own-data', namespace: 'owndata', params, load: () => import('./main') });
