/** The account id the emulators put in every ARN they make, and the local runtime too. */
export const LOCAL_ACCOUNT_ID = '000000000000';
