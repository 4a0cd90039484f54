/** A form field: its label, the input, and an optional help line the input is described by. */
export function LabelledInput(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'password';
  autocomplete?: string;
  help?: string;
}) {
  const helpId = props.help ? `${props.id}-help` : undefined;
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        autocomplete={props.autocomplete ?? 'off'}
        required
        aria-describedby={helpId}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.help && (
        <p id={helpId} class="help">
          {props.help}
        </p>
      )}
    </>
  );
}
