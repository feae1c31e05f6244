export interface Product {
  id: string;
  name: string;
  priceCents: number;
  stock: number;
}

/** The demo shop's catalogue; "moon-boots" has a price bug the checkout trips over on purpose. */
export const PRODUCTS: Product[] = [
  { id: 'lamp', name: 'Desk lamp', priceCents: 3900, stock: 12 },
  { id: 'mug', name: 'Enamel mug', priceCents: 1200, stock: 40 },
  { id: 'kettle', name: 'Stovetop kettle', priceCents: 5400, stock: 3 },
  { id: 'moon-boots', name: 'Moon boots', priceCents: Number.NaN, stock: 1 },
];

export function findProduct(id: string): Product | undefined {
  return PRODUCTS.find((p) => p.id === id);
}

/** Throws for products with a broken price: the server-side error the demo is about. */
export function priceWithTax(product: Product, taxRate: number): number {
  if (!Number.isFinite(product.priceCents)) {
    throw new RangeError(`Price of ${product.id} is not a number`);
  }
  return Math.round(product.priceCents * (1 + taxRate));
}
