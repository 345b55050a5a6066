/** The one format rule records use; the generated validators call it (ajv ships no formats). */
export const uriFormats = { uri: (value: string): boolean => URL.canParse(value) };
