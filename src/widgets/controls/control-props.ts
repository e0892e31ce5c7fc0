import type { ParamSpec } from '~/runtime/url-state';

/** The props of every control bound to a table entry (Slider, Select, Seed, Speed, Toggle). */
export interface ControlProps<S extends ParamSpec> {
  /** The widget's namespace: keeps ids unique when widgets share a page (id `<ns>-<name>`). */
  ns: string;
  /** The entry's key in the widget's table (`data-param`). */
  name: string;
  /** The table entry: range or choices, default, unit. */
  spec: S;
  /** Korean label (default: spec.label). */
  label?: string;
  /** One line under the control, linked with aria-describedby (Slider, Select and Toggle). */
  hint?: string;
}
