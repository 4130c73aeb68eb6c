import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ClerkBudgetRepository } from './clerk-budget.repository';
import { ClerkBudgetSecond, ClerkBudgetSecondSchema } from './clerk-budget.schema';
import { ClerkBudget } from './clerk-budget.service';
import { ClerkService } from './clerk.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: ClerkBudgetSecond.name, schema: ClerkBudgetSecondSchema }])],
  providers: [ClerkService, ClerkBudget, ClerkBudgetRepository],
  exports: [ClerkService, ClerkBudget],
})
export class ClerkModule {}
