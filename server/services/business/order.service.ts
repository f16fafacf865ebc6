import { forbidden, notFound } from '../../http/errors';
import { askWhatsApp, businessAccount } from './business-account';
import { fromThousandths } from './catalog-nodes';

/** Orders customers placed with this business (an order message carries its id and token). */

export interface OrderAnswer {
  OrderId: string;
  Total: string;
  Currency: string;
  Products: Array<{ Id: string; Name: string; ImageUrl: string | null; Price: string; Currency: string; Quantity: number }>;
}

const price = (thousandths: number) => fromThousandths(String(Math.max(0, Math.round(thousandths))));

/** The products, quantities and total of order `OrderId`, read with the order message's `Token`. */
export async function orderDetails(sessionId: string, orderId: string, token: string): Promise<OrderAnswer> {
  const { sock } = await businessAccount(sessionId);
  const order = await askWhatsApp(() => sock.getOrderDetails(orderId, token), {
    404: () => notFound(`OrderId: WhatsApp has no order ${orderId}`),
    401: () => forbidden('Token: does not open this order'),
    403: () => forbidden('OrderId: this account is neither the seller nor the buyer of the order'),
  });
  return {
    OrderId: orderId,
    Total: price(order.price.total),
    Currency: order.price.currency,
    Products: order.products.map((p) => ({
      Id: p.id,
      Name: p.name,
      ImageUrl: p.imageUrl || null,
      Price: price(p.price),
      Currency: p.currency,
      Quantity: p.quantity,
    })),
  };
}
