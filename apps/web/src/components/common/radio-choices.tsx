/** A fieldset of radio buttons, one choice of a few (a form field named `name`). */
export function RadioChoices({
  legend,
  name,
  choices,
  defaultValue,
}: {
  legend: string;
  name: string;
  choices: readonly (readonly [value: string, label: string])[];
  defaultValue: string;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {choices.map(([value, label]) => (
        <label key={value} className="inline-field">
          <input type="radio" name={name} value={value} defaultChecked={value === defaultValue} /> {label}
        </label>
      ))}
    </fieldset>
  );
}
