import { IDC_SUBTYPES, SUBTYPE_LABEL, SUBTYPES, type Subtype } from "@/lib/labels";

export type SelectOption = { value: string; label: string };

/** Every subtype as a drop-down option, in the platform's order. */
export const SUBTYPE_OPTIONS: SelectOption[] = SUBTYPES.map((s) => ({ value: s, label: SUBTYPE_LABEL[s] }));

/**
 * A labelled drop-down of a form. `placeholder`: a first entry that cannot be chosen (with
 * `defaultValue=""` and `required`, the user must pick one). `children`: shown under it (its error).
 */
export function SelectField({
  id,
  label,
  name,
  options,
  defaultValue,
  required,
  placeholder,
  children,
}: {
  id: string;
  label: string;
  name: string;
  options: readonly SelectOption[];
  defaultValue?: string;
  required?: boolean;
  placeholder?: string;
  children?: React.ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={defaultValue} required={required}>
        {placeholder !== undefined ? (
          <option value="" disabled>
            {placeholder}
          </option>
        ) : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {children}
    </div>
  );
}

/** A labelled input of a form; every prop but `label` goes to the `<input>`. */
export function InputField({
  id,
  label,
  ...input
}: { id: string; label: string; name: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} {...input} />
    </div>
  );
}

/** One checkbox per subtype, named `name`; the three IDC subtypes of the Ueda study ticked. */
export function SubtypeCheckboxes({ name }: { name: string }) {
  return SUBTYPES.map((s: Subtype) => (
    <label key={s} className="inline-field">
      <input type="checkbox" name={name} value={s} defaultChecked={IDC_SUBTYPES.includes(s)} /> {SUBTYPE_LABEL[s]}
    </label>
  ));
}
