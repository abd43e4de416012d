/** Up to six photos a ticket, of up to 8 MB each (client-safe: the form shows the limits). */
export const maxPhotos = 6;
export const maxPhotoBytes = 8 * 1024 * 1024;
