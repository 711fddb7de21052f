using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MembershipPlansOrdersInvoicesEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MembershipDiscounts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ProductKind = table.Column<int>(type: "INTEGER", nullable: false),
                    PercentOff = table.Column<decimal>(type: "TEXT", precision: 5, scale: 2, nullable: false),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipDiscounts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MembershipDiscounts_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MembershipInvoiceCounters",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Series = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Last = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipInvoiceCounters", x => new { x.OrganizationId, x.Series, x.Year });
                    table.ForeignKey(
                        name: "FK_MembershipInvoiceCounters_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MembershipOrders",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    BuyerUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    BuyerOrganizationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    BuyerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    BuyerEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    BuyerAddress = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    PoNumber = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    PaymentMethod = table.Column<int>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Total = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PaidAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CheckoutSessionId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    PaymentReference = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipOrders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MembershipOrders_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MembershipPaymentEvents",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipPaymentEvents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MembershipProducts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ListPrice = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipProducts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MembershipProducts_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MembershipVouchers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PercentOff = table.Column<decimal>(type: "TEXT", precision: 5, scale: 2, nullable: false),
                    AmountOff = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: false),
                    ValidUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    MaxUses = table.Column<int>(type: "INTEGER", nullable: true),
                    Uses = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipVouchers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MembershipVouchers_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MembershipInvoices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    CorrectsInvoiceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Number = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SellerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    BuyerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    BuyerEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    BuyerAddress = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    PoNumber = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Total = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    PaidAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PaidBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipInvoices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MembershipInvoices_MembershipOrders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "MembershipOrders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MembershipEvents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProductId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Venue = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    OnlineLink = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Capacity = table.Column<int>(type: "INTEGER", nullable: false),
                    SeatsTaken = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipEvents", x => x.Id);
                    table.CheckConstraint("CK_MembershipEvents_Seats", "\"SeatsTaken\" >= 0 AND \"SeatsTaken\" <= \"Capacity\"");
                    table.ForeignKey(
                        name: "FK_MembershipEvents_MembershipProducts_ProductId",
                        column: x => x.ProductId,
                        principalTable: "MembershipProducts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MembershipEvents_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MembershipOrderLines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProductId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    ListPrice = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: false),
                    Total = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: false),
                    Steps = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    PlanId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RegistrationId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipOrderLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MembershipOrderLines_MembershipOrders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "MembershipOrders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MembershipOrderLines_MembershipProducts_ProductId",
                        column: x => x.ProductId,
                        principalTable: "MembershipProducts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MembershipPlans",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProductId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Scope = table.Column<int>(type: "INTEGER", nullable: false),
                    TermMonths = table.Column<int>(type: "INTEGER", nullable: false),
                    SeatCap = table.Column<int>(type: "INTEGER", nullable: true),
                    Benefits = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipPlans", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MembershipPlans_MembershipProducts_ProductId",
                        column: x => x.ProductId,
                        principalTable: "MembershipProducts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MembershipInvoiceLines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    InvoiceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    ListPrice = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: false),
                    Total = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: false),
                    Steps = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipInvoiceLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MembershipInvoiceLines_MembershipInvoices_InvoiceId",
                        column: x => x.InvoiceId,
                        principalTable: "MembershipInvoices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MembershipRegistrations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EventId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    AttendeeName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: true),
                    TicketCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CheckedInAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipRegistrations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MembershipRegistrations_MembershipEvents_EventId",
                        column: x => x.EventId,
                        principalTable: "MembershipEvents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MembershipPlanRules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProductKind = table.Column<int>(type: "INTEGER", nullable: false),
                    PercentOff = table.Column<decimal>(type: "TEXT", precision: 5, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipPlanRules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MembershipPlanRules_MembershipPlans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "MembershipPlans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "NetworkMemberships",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HolderUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    HolderOrganizationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: true),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NetworkMemberships", x => x.Id);
                    table.ForeignKey(
                        name: "FK_NetworkMemberships_MembershipPlans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "MembershipPlans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_NetworkMemberships_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MembershipSeats",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MembershipId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    TakenAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MembershipSeats", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MembershipSeats_NetworkMemberships_MembershipId",
                        column: x => x.MembershipId,
                        principalTable: "NetworkMemberships",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MembershipDiscounts_OrganizationId_ProductKind",
                table: "MembershipDiscounts",
                columns: new[] { "OrganizationId", "ProductKind" });

            migrationBuilder.CreateIndex(
                name: "IX_MembershipEvents_OrganizationId_StartsAt",
                table: "MembershipEvents",
                columns: new[] { "OrganizationId", "StartsAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MembershipEvents_ProductId",
                table: "MembershipEvents",
                column: "ProductId");

            migrationBuilder.CreateIndex(
                name: "IX_MembershipInvoiceLines_InvoiceId",
                table: "MembershipInvoiceLines",
                column: "InvoiceId");

            migrationBuilder.CreateIndex(
                name: "IX_MembershipInvoices_CorrectsInvoiceId",
                table: "MembershipInvoices",
                column: "CorrectsInvoiceId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MembershipInvoices_OrderId",
                table: "MembershipInvoices",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_MembershipInvoices_OrganizationId_Number",
                table: "MembershipInvoices",
                columns: new[] { "OrganizationId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MembershipOrderLines_OrderId",
                table: "MembershipOrderLines",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_MembershipOrderLines_ProductId",
                table: "MembershipOrderLines",
                column: "ProductId");

            migrationBuilder.CreateIndex(
                name: "IX_MembershipOrders_CheckoutSessionId",
                table: "MembershipOrders",
                column: "CheckoutSessionId");

            migrationBuilder.CreateIndex(
                name: "IX_MembershipOrders_OrganizationId_BuyerUserId",
                table: "MembershipOrders",
                columns: new[] { "OrganizationId", "BuyerUserId" });

            migrationBuilder.CreateIndex(
                name: "IX_MembershipPlanRules_PlanId_ProductKind",
                table: "MembershipPlanRules",
                columns: new[] { "PlanId", "ProductKind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MembershipPlans_OrganizationId_Key",
                table: "MembershipPlans",
                columns: new[] { "OrganizationId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MembershipPlans_ProductId",
                table: "MembershipPlans",
                column: "ProductId");

            migrationBuilder.CreateIndex(
                name: "IX_MembershipProducts_OrganizationId_Kind",
                table: "MembershipProducts",
                columns: new[] { "OrganizationId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_MembershipRegistrations_EventId_Status_CreatedAt",
                table: "MembershipRegistrations",
                columns: new[] { "EventId", "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MembershipRegistrations_OrganizationId_UserId",
                table: "MembershipRegistrations",
                columns: new[] { "OrganizationId", "UserId" });

            migrationBuilder.CreateIndex(
                name: "IX_MembershipRegistrations_TicketCode",
                table: "MembershipRegistrations",
                column: "TicketCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MembershipSeats_MembershipId_UserId",
                table: "MembershipSeats",
                columns: new[] { "MembershipId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MembershipVouchers_OrganizationId_Code",
                table: "MembershipVouchers",
                columns: new[] { "OrganizationId", "Code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_NetworkMemberships_OrganizationId_HolderOrganizationId",
                table: "NetworkMemberships",
                columns: new[] { "OrganizationId", "HolderOrganizationId" });

            migrationBuilder.CreateIndex(
                name: "IX_NetworkMemberships_OrganizationId_HolderUserId",
                table: "NetworkMemberships",
                columns: new[] { "OrganizationId", "HolderUserId" });

            migrationBuilder.CreateIndex(
                name: "IX_NetworkMemberships_PlanId",
                table: "NetworkMemberships",
                column: "PlanId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MembershipDiscounts");

            migrationBuilder.DropTable(
                name: "MembershipInvoiceCounters");

            migrationBuilder.DropTable(
                name: "MembershipInvoiceLines");

            migrationBuilder.DropTable(
                name: "MembershipOrderLines");

            migrationBuilder.DropTable(
                name: "MembershipPaymentEvents");

            migrationBuilder.DropTable(
                name: "MembershipPlanRules");

            migrationBuilder.DropTable(
                name: "MembershipRegistrations");

            migrationBuilder.DropTable(
                name: "MembershipSeats");

            migrationBuilder.DropTable(
                name: "MembershipVouchers");

            migrationBuilder.DropTable(
                name: "MembershipInvoices");

            migrationBuilder.DropTable(
                name: "MembershipEvents");

            migrationBuilder.DropTable(
                name: "NetworkMemberships");

            migrationBuilder.DropTable(
                name: "MembershipOrders");

            migrationBuilder.DropTable(
                name: "MembershipPlans");

            migrationBuilder.DropTable(
                name: "MembershipProducts");
        }
    }
}
