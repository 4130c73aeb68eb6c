import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UsersModule } from '../users/users.module';
import { WebhookDelivery, WebhookDeliverySchema } from './webhook-delivery.schema';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [UsersModule, MongooseModule.forFeature([{ name: WebhookDelivery.name, schema: WebhookDeliverySchema }])],
  controllers: [WebhooksController],
  providers: [WebhooksService],
})
export class WebhooksModule {}
