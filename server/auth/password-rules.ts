/** Password length rules, shared by the server and the dashboard's forms (no dependencies). */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
