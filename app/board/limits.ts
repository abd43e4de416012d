/** How long a notice's title and text may be (client-safe: the posting form checks them too). */
export const maxTitleLength = 120;
export const maxBodyLength = 20_000;
