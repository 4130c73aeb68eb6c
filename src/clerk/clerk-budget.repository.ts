import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { ClerkBudgetSecond } from './clerk-budget.schema';

/** How long a second's count is kept: long past any window that reads it. */
const KEEP_MS = 60_000;

/** `clerk_budget`: per key and second, the requests sent; every change one atomic `$inc`. */
@Injectable()
export class ClerkBudgetRepository {
  constructor(@InjectModel(ClerkBudgetSecond.name) private readonly seconds: Model<ClerkBudgetSecond>) {}

  /** Counts requests that were sent whatever the budget (interactive calls). */
  async add(key: string, second: number, requests: number): Promise<void> {
    await this.seconds.updateOne(
      { _id: `${key}:${second}` },
      { $inc: { count: requests }, $setOnInsert: { expiresAt: expiry(second) } },
      { upsert: true },
    );
  }

  /** The requests counted for the key in the seconds `from` to `to`, both included. */
  async sum(key: string, from: number, to: number): Promise<number> {
    const ids = Array.from({ length: to - from + 1 }, (_, i) => `${key}:${from + i}`);
    const found = await this.seconds
      .find({ _id: { $in: ids } }, { count: 1 })
      .lean<{ count: number }[]>()
      .exec();
    return found.reduce((total, { count }) => total + count, 0);
  }

  /** Counts the requests in this second only if the second holds at most `atMost` before: false when it is full. */
  async takeIfAtMost(key: string, second: number, requests: number, atMost: number): Promise<boolean> {
    if (atMost < 0) return false;
    try {
      await this.seconds.updateOne(
        { _id: `${key}:${second}`, count: { $lte: atMost } },
        { $inc: { count: requests }, $setOnInsert: { expiresAt: expiry(second) } },
        { upsert: true },
      );
      return true;
    } catch (error) {
      // The second exists and holds more: the upsert's insert collided with it.
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}

const expiry = (second: number) => new Date(second * 1000 + KEEP_MS);
