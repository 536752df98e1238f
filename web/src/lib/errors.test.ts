import { expect } from 'chai';
import { ApiError } from '../api/client';
import { errorText } from './errors';

describe('errors in Swedish by status, never the API\'s English detail', () => {
  it('429 names the minutes of Retry-After; other statuses their Swedish words', () => {
    expect(errorText(new ApiError({ status: 429, retryAfter: 300, detail: 'at most 30 messages an hour' }))).to.equal('För många försök just nu. Vänta 5 minuter och försök igen.');
    expect(errorText(new ApiError({ status: 429, retryAfter: 20 }))).to.equal('För många försök just nu. Vänta 1 minut och försök igen.');
    expect(errorText(new ApiError({ status: 409, detail: 'module step-2 is closed' }))).to.equal('Det går inte i behandlingens nuvarande läge.');
    expect(errorText(new ApiError({ status: 418 }))).to.match(/^Något gick fel \(felkod 418\)/);
  });
});
