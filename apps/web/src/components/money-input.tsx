import { TextInput, type TextInputProps } from '@mantine/core';
import { moneyInputText } from '@techmarket/contracts';

export interface MoneyInputProps extends Omit<TextInputProps, 'value' | 'onChange' | 'type'> {
  /** What is typed, in major units ("2499.50"; "1500000" for CLP); `parseMoney` reads it on submit. Optional
   * only because `form.getInputProps` types it so. */
  value?: string | undefined;
  onChange: (text: string) => void;
  /** The currency of the amount: its exponent decides how many decimals may be typed (PEN 2, CLP none). */
  currency: string;
}

/**
 * The one field that takes money. It keeps the text as typed (so "2499." can be typed) and shows the
 * currency's format as its placeholder; forms turn the text into minor units with the contracts' `parseMoney`,
 * never by multiplying by 100 (which stored CLP prices, that have no decimals, a hundred times too high).
 */
export function MoneyInput({ value, onChange, currency, ...props }: MoneyInputProps) {
  return (
    <TextInput
      inputMode="decimal"
      autoComplete="off"
      placeholder={moneyInputText(0, currency)}
      {...props}
      data-currency={currency}
      value={value ?? ''}
      onChange={(event) => onChange(event.currentTarget.value)}
    />
  );
}
