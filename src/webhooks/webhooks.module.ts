import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { RequestLog } from '../http/request-log';
import { OrganizationsModule } from '../organizations/organizations.module';
import { UsersModule } from '../users/users.module';
import { WebhookDelivery, WebhookDeliverySchema } from './webhook-delivery.schema';
import { WebhooksController } from './webhooks.controller';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveriesService } from './deliveries.service';
import { SvixVerifier } from './svix-verifier.service';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [
    UsersModule,
    OrganizationsModule,
    MongooseModule.forFeature([{ name: WebhookDelivery.name, schema: WebhookDeliverySchema }]),
  ],
  controllers: [WebhooksController],
  providers: [SvixVerifier, DeliveriesRepository, DeliveriesService, WebhooksService, RequestLog],
})
export class WebhooksModule {}
