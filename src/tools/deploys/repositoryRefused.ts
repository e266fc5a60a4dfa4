/**
 * A workspace folder's git history is not read, with the reason in words for the model
 * (get_recent_deploys shows it as a note and goes on with the other folders and deploy records).
 */
export class RepositoryRefused extends Error {}
